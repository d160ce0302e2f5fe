/**
 * Files made byte by byte for the reader's limits and failures: a 10,000-page PDF, an encrypted
 * one, images whose headers claim 20,000 × 20,000 pixels (with no pixels behind them, so only a
 * header check can say why they are refused), a multi-page TIFF, a "PNG" that is a zip.
 */
import { deflateSync } from "node:zlib";
import { createCanvas, type Canvas } from "@napi-rs/canvas";
import PDFDocument from "pdfkit";

/** CRC-32 (PNG chunks). */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose header says `width` × `height` but whose data holds one row of one pixel. */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.from([0, 255]))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A JPEG whose frame header says `width` × `height`, with no image data. */
export function jpegClaiming(width: number, height: number): Buffer {
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x01,
    0x01,
    0x11,
    0x00,
  ]);
  return Buffer.concat([
    Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00,
      0x00,
    ]),
    sof,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A TIFF (greyscale, uncompressed, little-endian) with one page per canvas. */
export function tiff(pages: Canvas[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0])];
  let offset = 8;
  pages.forEach((canvas, i) => {
    const { width, height } = canvas;
    const rgba = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    const grey = Buffer.alloc(width * height);
    for (let p = 0; p < width * height; p++) grey[p] = rgba[p * 4]!;
    const entries: Array<[number, number, number]> = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 8],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, 0], // strip offset, set below
      [277, 3, 1],
      [278, 4, height],
      [279, 4, width * height],
    ];
    const ifdSize = 2 + entries.length * 12 + 4;
    const dataOffset = offset + ifdSize;
    const next = i < pages.length - 1 ? dataOffset + grey.length : 0;
    const ifd = Buffer.alloc(ifdSize);
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, value], k) => {
      const at = 2 + k * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      const v = tag === 273 ? dataOffset : value;
      if (type === 3) ifd.writeUInt16LE(v, at + 8);
      else ifd.writeUInt32LE(v, at + 8);
    });
    ifd.writeUInt32LE(next, ifdSize - 4);
    parts.push(ifd, grey);
    offset = dataOffset + grey.length;
  });
  return Buffer.concat(parts);
}

/** White canvas with lines of black text (Liberation Sans), for OCR. */
export function textImage(lines: string[], o: { width?: number; size?: number } = {}): Canvas {
  const size = o.size ?? 30;
  const canvas = createCanvas(o.width ?? 1000, 60 + lines.length * size * 1.6);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = "#000";
  context.font = `${size}px 'Liberation Sans', sans-serif`;
  lines.forEach((l, i) => context.fillText(l, 30, 30 + size + i * size * 1.6));
  return canvas;
}

/** A PDF of `pages` empty pages sharing one page tree, written by hand (pdfkit would take minutes). */
export function manyPagePdf(pages: number): Buffer {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${i + 4} 0 R`).join(" ");
  objects.push("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  objects.push("<< /Length 3 >>\nstream\nq Q\nendstream");
  for (let i = 0; i < pages; i++)
    objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>");
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** A one-page PDF that needs a password to open. */
export function encryptedPdf(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: "LETTER", userPassword: "secret", ownerPassword: "owner", pdfVersion: "1.7" });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.text("Patient: SMITHERS, JANE");
    doc.end();
  });
}

type ZipField = [offset: number, bytes: 2 | 4, value: number];

/** A zip record: its 4-byte signature, then little-endian fields of 2 or 4 bytes at their offsets. */
function zipRecord(size: number, signature: number, fields: ZipField[]): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt32LE(signature, 0);
  for (const [offset, bytes, value] of fields) {
    if (bytes === 2) b.writeUInt16LE(value, offset);
    else b.writeUInt32LE(value, offset);
  }
  return b;
}

/** The bytes of a zip archive holding one small file (what a mislabelled "scan.png" can be). */
export function zipBytes(): Buffer {
  const name = Buffer.from("order.txt");
  const data = Buffer.from("not an image");
  const crc = crc32(data);
  // Version needed, CRC-32, compressed and uncompressed size (stored), name length: a local header's fields, which
  // its central directory entry repeats two bytes further on (after "version made by").
  const fileFields = (shift: number): ZipField[] => [
    [shift + 4, 2, 10],
    [shift + 14, 4, crc],
    [shift + 18, 4, data.length],
    [shift + 22, 4, data.length],
    [shift + 26, 2, name.length],
  ];
  const local = zipRecord(30, 0x04034b50, fileFields(0));
  const central = zipRecord(46, 0x02014b50, [[4, 2, 20], ...fileFields(2)]);
  // Entries on this disk and in all, the central directory's size and offset.
  const end = zipRecord(22, 0x06054b50, [
    [8, 2, 1],
    [10, 2, 1],
    [12, 4, 46 + name.length],
    [16, 4, 30 + name.length + data.length],
  ]);
  return Buffer.concat([local, name, data, central, name, end]);
}
