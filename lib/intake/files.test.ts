import fc from "fast-check";
import { fileTypeFromBuffer } from "file-type";
import { describe, expect, it } from "vitest";
import { readReferencePayload } from "../demo/reference-payload";
import { quickSniff } from "./files";

const referencePng = Buffer.from(readReferencePayload().files![0]!.file_value, "base64");

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, data, Buffer.alloc(4)]);
}

/** The reference PNG with an acTL chunk put before its first IDAT: an APNG. */
function apng(): Buffer {
  const idat = referencePng.indexOf("IDAT", 8, "latin1") - 4;
  return Buffer.concat([referencePng.subarray(0, idat), chunk("acTL", Buffer.alloc(8)), referencePng.subarray(idat)]);
}

const samples: Record<string, Buffer> = {
  pdf: Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1"),
  png: referencePng,
  apng: apng(),
  jpeg: Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ]),
  jls: Buffer.from([0xff, 0xd8, 0xff, 0xf7, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]),
  gif: Buffer.concat([Buffer.from("GIF89a", "latin1"), Buffer.alloc(20)]),
  text: Buffer.from("Physician order: 2x weekly", "utf8"),
};

describe("quickSniff", () => {
  it.each(Object.entries(samples))("names %s as file-type does, or leaves it to file-type", async (_name, data) => {
    const quick = quickSniff(data);
    const full = await fileTypeFromBuffer(data);
    if (quick) expect(quick).toEqual({ ext: full?.ext, mime: full?.mime });
  });

  it("recognises the formats it is for", () => {
    expect(quickSniff(samples.pdf!)?.ext).toBe("pdf");
    expect(quickSniff(samples.png!)?.ext).toBe("png");
    expect(quickSniff(samples.apng!)?.ext).toBe("apng");
    expect(quickSniff(samples.jpeg!)?.ext).toBe("jpg");
    expect(quickSniff(samples.gif!)?.ext).toBe("gif");
    expect(quickSniff(samples.jls!)).toBeUndefined();
    expect(quickSniff(samples.text!)).toBeUndefined();
  });

  it("never disagrees with file-type on bytes that start like a known format", async () => {
    const prefixes = [
      samples.pdf!.subarray(0, 4),
      samples.png!.subarray(0, 33),
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.from("GIF", "latin1"),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), async (prefix, rest) => {
        const data = Buffer.concat([prefix, Buffer.from(rest)]);
        const quick = quickSniff(data);
        if (!quick) return;
        const full = await fileTypeFromBuffer(data);
        expect(quick).toEqual({ ext: full?.ext, mime: full?.mime });
      }),
      { numRuns: 500 },
    );
  });
});
