/**
 * Reading files: a text PDF's words with boxes, OCR of an image and of a TIFF's pages, the page
 * images, and every kind of bad input ending `unreadable` with its reason, within its limits,
 * leaving the next file unaffected.
 */
import PDFDocument from "pdfkit";
import { afterAll, describe, expect, it } from "vitest";
import { buildCase, buildLongOrder } from "../../test/documents/corpus";
import {
  encryptedPdf,
  jpegClaiming,
  manyPagePdf,
  pngClaiming,
  textImage,
  tiff,
  zipBytes,
} from "../../test/documents/files";
import { terminateOcr } from "./ocr";
import { readDocument, renderPage } from "./read";
import type { DocumentReading, PageText } from "./types";

afterAll(terminateOcr);

const pagesOf = (r: DocumentReading): PageText[] => {
  if (r.state !== "read") throw new Error(`unreadable: ${r.reason}`);
  return r.pages;
};
const inside = (box: number[], p: PageText) =>
  box[0]! >= 0 &&
  box[1]! >= 0 &&
  box[0]! + box[2]! <= p.width &&
  box[1]! + box[3]! <= p.height &&
  box[2]! > 0 &&
  box[3]! > 0;

describe("readDocument", () => {
  it("reads a text PDF's words with boxes in the page image's pixels, without OCR", async () => {
    const order = (await buildCase({ kind: "text-pdf", index: 0 })).files.find((f) => f.isOrder)!;
    const reading = await readDocument(order.bytes, { contentType: "application/pdf", images: true });
    expect(reading).toMatchObject({ state: "read", method: "text", pageCount: 1, note: null });
    const [p] = pagesOf(reading);
    expect(p).toMatchObject({ page: 1, width: 1224, height: 1584, method: "text" });
    expect(p!.words.length).toBeGreaterThan(50);
    for (const w of p!.words) {
      expect(inside(w.box, p!), w.text).toBe(true);
      expect(p!.lines[w.line]!.text).toContain(w.text);
    }
    expect(p!.lines.map((l) => l.text)).toContain("PHYSICIAN ORDERS / PLAN OF CARE");
    // The page image it returns is the one renderPage draws, of the page's size.
    const image = reading.state === "read" ? reading.images![0]! : null;
    const drawn = await renderPage(order.bytes, 1);
    expect({ width: image?.width, height: image?.height }).toEqual({ width: 1224, height: 1584 });
    expect(drawn?.png.equals(image!.png)).toBe(true);
  });

  it("reads an image by OCR: words, lines, boxes on the words and their confidence", async () => {
    const png = await textImage(["Patient: SMITHERS, JANE", "DOB: 05/07/1998"], { width: 1600 }).encode("png");
    const reading = await readDocument(png, { contentType: "image/png" });
    expect(reading).toMatchObject({ state: "read", method: "ocr", pageCount: 1 });
    const [p] = pagesOf(reading);
    expect(p!.lines.map((l) => l.text)).toEqual(["Patient: SMITHERS, JANE", "DOB: 05/07/1998"]);
    const dob = p!.words.find((w) => w.text === "05/07/1998")!;
    expect(dob.confidence).toBeGreaterThan(80);
    expect(dob.line).toBe(1);
    // Drawn at x = 30 px, the second line's baseline at 30 + 30 + 48 px, in a 1600 px image kept at its size.
    expect(p!.width).toBe(1600);
    expect(dob.box[0]).toBeGreaterThan(30 + 60);
    expect(dob.box[1]).toBeGreaterThan(70);
    expect(dob.box[1]).toBeLessThan(110);
  });

  it("reads each page of a multi-page TIFF", async () => {
    const bytes = tiff([
      textImage(["Page one: Skilled Nursing"], { width: 1600 }),
      textImage(["Page two: Physical Therapy"], { width: 1600 }),
    ]);
    const reading = await readDocument(bytes, { contentType: "image/tiff" });
    expect(reading).toMatchObject({ state: "read", method: "ocr", pageCount: 2 });
    expect(pagesOf(reading).map((p) => p.lines.map((l) => l.text).join(" "))).toEqual([
      "Page one: Skilled Nursing",
      "Page two: Physical Therapy",
    ]);
    expect((await renderPage(bytes, 2))?.width).toBe(1600);
  });

  it("takes a scan under a fax machine's line of text for a scan, and a short text page for text", async () => {
    const scan = await textImage(["Patient: SMITHERS, JANE", "Physician: Jeremy Smith, MD"], {
      width: 1700,
      size: 36,
    }).encode("png");
    const pdf = (draw: (doc: PDFKit.PDFDocument) => void) =>
      new Promise<Buffer>((resolve) => {
        const doc = new PDFDocument({ size: "LETTER", margin: 0 });
        const chunks: Buffer[] = [];
        doc.on("data", (c: Buffer) => chunks.push(c));
        doc.on("end", () => resolve(Buffer.concat(chunks)));
        draw(doc);
        doc.end();
      });
    const stamp = "05/01/2026 10:22  FROM: (937) 555-1234  SMITH FAMILY MED   TO: (937) 555-0101   P. 2/3";
    const fax = await pdf((doc) => {
      doc.image(scan, 0, 0, { width: 612 });
      doc.font("Courier").fontSize(7).text(stamp, 20, 8, { lineBreak: false });
    });
    const reading = await readDocument(fax);
    expect(reading).toMatchObject({ state: "read", method: "ocr" });
    expect(pagesOf(reading)[0]!.lines.map((l) => l.text)).toEqual(
      expect.arrayContaining(["Patient: SMITHERS, JANE", "Physician: Jeremy Smith, MD"]),
    );
    const note = await pdf((doc) =>
      doc.font("Helvetica").fontSize(11).text(`${stamp} Signed and dated by the physician.`, 50, 50),
    );
    expect(await readDocument(note)).toMatchObject({ state: "read", method: "text" });
  });

  it("reads an order of exactly the page limit, and refuses one page more before reading any", async () => {
    const twenty = await buildLongOrder(20);
    const thirty = await buildLongOrder(30);
    expect(await readDocument(twenty.pdf)).toMatchObject({ state: "read", method: "text", pageCount: 20 });
    expect(await readDocument(thirty.pdf)).toEqual({
      state: "unreadable",
      reason: "too many pages: the PDF has 30 pages, at most 20 are read",
      pageCount: 30,
    });
    expect(await readDocument(twenty.pdf, { maxPages: 19 })).toMatchObject({
      state: "unreadable",
      reason: "too many pages: the PDF has 20 pages, at most 19 are read",
    });
  });
});

describe("bad input ends unreadable, with its reason", () => {
  it.each([
    ["a 0-byte file", () => Buffer.alloc(0), /^the file is empty$/],
    [
      "a PNG that is a zip",
      () => zipBytes(),
      /^not a document: the file is application\/zip \(\.zip\), not a PDF or an image$/,
    ],
    [
      "plain text",
      () => Buffer.from("Patient: Jane Smithers\n"),
      /^not a document: the file is not a PDF or an image$/,
    ],
    [
      "a corrupt PDF",
      () => Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage garbage"),
      /^corrupt: /,
    ],
    ["a truncated PNG", () => pngClaiming(2000, 2000).subarray(0, 20), /^corrupt PNG/],
    [
      "a PNG whose pixels are missing (decoders would draw it blank)",
      () => pngClaiming(2000, 2000),
      /^corrupt PNG: the image data is cut short$/,
    ],
    [
      "a 20,000 × 20,000 PNG, refused from its header",
      () => pngClaiming(20_000, 20_000),
      /^the image is 20000 × 20000 pixels, larger than/,
    ],
    [
      "a 20,000 × 20,000 JPEG, refused from its header",
      () => jpegClaiming(20_000, 20_000),
      /^the image is 20000 × 20000 pixels, larger than/,
    ],
    ['a 1 × 1 PNG (the reference payload\'s "order")', () => pngClaiming(1, 1), /too small to hold readable text$/],
    [
      "a 10,000-page PDF, refused from its page tree",
      () => manyPagePdf(10_000),
      /^too many pages: the PDF has 10000 pages, at most 20 are read$/,
    ],
    [
      "a TIFF of more pages than the limit, refused from its directories",
      () => tiff(Array.from({ length: 25 }, () => textImage(["x"], { width: 40, size: 10 }))),
      /^too many pages: the TIFF has more than 20 pages$/,
    ],
  ])("%s", async (_, bytes, reason) => {
    const reading = await readDocument(bytes());
    expect(reading.state).toBe("unreadable");
    expect(reading.state === "unreadable" && reading.reason).toMatch(reason);
  });

  it("an encrypted PDF", async () => {
    expect(await readDocument(await encryptedPdf())).toEqual({
      state: "unreadable",
      reason: "encrypted: the PDF needs a password to open",
      pageCount: null,
    });
  });

  it("a page over its time limit, and the next file is read as usual (the OCR worker replaced)", async () => {
    const png = await textImage(["Frequency: 2x/week x 4 weeks"], { width: 1600 }).encode("png");
    expect(await readDocument(png, { pageTimeoutMs: 1 })).toEqual({
      state: "unreadable",
      reason: "the image was not read within 1 ms",
      pageCount: 1,
    });
    const again = await readDocument(png);
    expect(pagesOf(again)[0]!.lines.map((l) => l.text)).toEqual(["Frequency: 2x/week x 4 weeks"]);
  });

  it("a file that failed leaves the next ones unaffected", async () => {
    const order = (await buildCase({ kind: "text-pdf", index: 1 })).files.find((f) => f.isOrder)!;
    for (const bad of [manyPagePdf(10_000), pngClaiming(20_000, 20_000), await encryptedPdf(), zipBytes()]) {
      expect((await readDocument(bad)).state).toBe("unreadable");
      expect((await readDocument(order.bytes)).state).toBe("read");
    }
  });

  it("renders no page of a file it cannot read", async () => {
    expect(await renderPage(pngClaiming(20_000, 20_000), 1)).toBeNull();
    expect(await renderPage(manyPagePdf(10_000), 1)).toBeNull();
    expect(await renderPage(Buffer.alloc(0), 1)).toBeNull();
    const order = (await buildCase({ kind: "text-pdf", index: 0 })).files.find((f) => f.isOrder)!;
    expect(await renderPage(order.bytes, 2)).toBeNull();
  });
});
