/** Image sizes and page counts from headers alone, before anything is decoded. */
import { createCanvas } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import { jpegClaiming, pngClaiming, textImage, tiff, zipBytes } from "../../test/documents/files";
import { imageFormatOf, pngComplete, readImageHeader, tiffPage } from "./image-header";

const canvas = (w: number, h: number) => {
  const c = createCanvas(w, h);
  c.getContext("2d").fillRect(0, 0, 5, 5);
  return c;
};

describe("readImageHeader", () => {
  it.each([
    ["png", async () => canvas(321, 123).encode("png")],
    ["jpeg", async () => canvas(321, 123).encode("jpeg", 80)],
    ["webp", async () => canvas(321, 123).encode("webp", 80)],
  ] as const)("reads a %s's size", async (format, bytes) => {
    expect(readImageHeader(await bytes())).toEqual({ ok: true, header: { format, width: 321, height: 123, pages: 1 } });
  });

  it("reads a GIF's size", () => {
    const gif = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x41, 0x01, 0x7b, 0x00, 0, 0, 0]);
    expect(readImageHeader(gif)).toMatchObject({ ok: true, header: { format: "gif", width: 321, height: 123 } });
  });

  it("takes the size a header claims without the pixels behind it", () => {
    expect(readImageHeader(pngClaiming(20_000, 20_000))).toMatchObject({
      ok: true,
      header: { width: 20_000, height: 20_000 },
    });
    expect(readImageHeader(jpegClaiming(20_000, 20_000))).toMatchObject({
      ok: true,
      header: { width: 20_000, height: 20_000 },
    });
  });

  it("counts a TIFF's pages up to one over the limit, and makes any page a TIFF of its own", () => {
    const bytes = tiff([canvas(40, 30), canvas(50, 60), canvas(70, 80)]);
    const all = readImageHeader(bytes);
    expect(all).toMatchObject({ ok: true, header: { format: "tiff", width: 40, height: 30, pages: 3 } });
    expect(readImageHeader(bytes, 1)).toMatchObject({ ok: true, header: { pages: 2 } });
    if (!all.ok) throw new Error();
    expect(readImageHeader(tiffPage(bytes, all.header, 2))).toMatchObject({
      ok: true,
      header: { width: 70, height: 80, pages: 1 },
    });
  });

  it("refuses what is not an image, or is cut short", () => {
    expect(imageFormatOf(zipBytes())).toBeNull();
    expect(readImageHeader(zipBytes())).toEqual({
      ok: false,
      reason: "not an image this app reads (PNG, JPEG, TIFF, GIF, WebP)",
    });
    expect(readImageHeader(pngClaiming(10, 10).subarray(0, 16))).toMatchObject({
      ok: false,
      reason: "corrupt PNG: no image header",
    });
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toMatchObject({ ok: false });
    const loop = tiff([canvas(10, 10)]);
    loop.writeUInt32LE(8, 8 + 2 + 9 * 12); // the page's "next page" points back at itself
    expect(readImageHeader(loop)).toEqual({ ok: false, reason: "corrupt TIFF: a broken page directory" });
  });
});

describe("pngComplete", () => {
  it("tells a whole PNG from one whose pixel data stops short", async () => {
    expect(pngComplete(await textImage(["Patient"]).encode("png"))).toBe(true);
    expect(pngComplete(pngClaiming(2000, 2000))).toBe(false);
    const whole = await textImage(["Patient"]).encode("png");
    expect(pngComplete(whole.subarray(0, whole.length - 40))).toBe(false);
  });
});
