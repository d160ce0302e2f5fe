/**
 * An image's format, size and (TIFF) page count read from its header, before anything is
 * decoded: a 20,000 × 20,000 scan or a TIFF of ten thousand pages is refused from a few
 * bytes, and no decoder ever allocates for it.
 */

import { inflateSync } from "node:zlib";

export type ImageFormat = "png" | "jpeg" | "tiff" | "gif" | "webp";

export type ImageHeader = {
  format: ImageFormat;
  width: number;
  height: number;
  /** Pages (TIFF image directories); 1 for the other formats. */
  pages: number;
  /** TIFF: the byte offset of each page's directory (at most `maxPages + 1` are listed). */
  ifdOffsets?: number[];
  littleEndian?: boolean;
};

export type HeaderResult = { ok: true; header: ImageHeader } | { ok: false; reason: string };

const bad = (reason: string): HeaderResult => ({ ok: false, reason });

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format from the first bytes, or null when the bytes are not one of ours. */
export function imageFormatOf(b: Uint8Array): ImageFormat | null {
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (
    b.length >= 4 &&
    ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) ||
      (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42))
  )
    return "tiff";
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return "gif";
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return "webp";
  return null;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

/** Size (and TIFF pages, counted up to `maxPages + 1`) from the header. */
export function readImageHeader(bytes: Uint8Array, maxPages = 20): HeaderResult {
  const format = imageFormatOf(bytes);
  if (!format) return bad("not an image this app reads (PNG, JPEG, TIFF, GIF, WebP)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (format) {
      case "png": {
        if (bytes.length < 24 || ascii(bytes, 12, 4) !== "IHDR") return bad("corrupt PNG: no image header");
        return sized(format, view.getUint32(16), view.getUint32(20));
      }
      case "gif":
        if (bytes.length < 10) return bad("corrupt GIF: the header is cut short");
        return sized(format, view.getUint16(6, true), view.getUint16(8, true));
      case "webp":
        return webp(bytes, view);
      case "jpeg":
        return jpeg(bytes, view);
      case "tiff":
        return tiff(bytes, view, maxPages);
    }
  } catch {
    return bad(`corrupt ${format.toUpperCase()}: the header is cut short`);
  }
}

function sized(format: ImageFormat, width: number, height: number, extra: Partial<ImageHeader> = {}): HeaderResult {
  if (!width || !height) return bad(`corrupt ${format.toUpperCase()}: the header gives no size`);
  return { ok: true, header: { format, width, height, pages: 1, ...extra } };
}

/** JPEG: walk the marker segments to the first frame header (SOFn). */
function jpeg(b: Uint8Array, view: DataView): HeaderResult {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return bad("corrupt JPEG: a marker is missing");
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // Markers without a length: TEM and RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const length = view.getUint16(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return sized("jpeg", view.getUint16(at + 7), view.getUint16(at + 5));
    if (length < 2) return bad("corrupt JPEG: a segment has no length");
    at += 2 + length;
  }
  return bad("corrupt JPEG: no frame header");
}

function webp(b: Uint8Array, view: DataView): HeaderResult {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8X")
    return sized("webp", 1 + (view.getUint32(24, true) & 0xffffff), 1 + (view.getUint32(27, true) & 0xffffff));
  if (chunk === "VP8L") {
    const bits = view.getUint32(21, true);
    return sized("webp", 1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
  }
  if (chunk === "VP8 ") return sized("webp", view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  return bad("corrupt WebP: unknown chunk");
}

/** TIFF: the first directory's ImageWidth and ImageLength, and the chain of directories (pages). */
function tiff(b: Uint8Array, view: DataView, maxPages: number): HeaderResult {
  const le = b[0] === 0x49;
  const u16 = (at: number) => view.getUint16(at, le);
  const u32 = (at: number) => view.getUint32(at, le);
  const offsets: number[] = [];
  const seen = new Set<number>();
  let width = 0;
  let height = 0;
  for (let ifd = u32(4); ifd !== 0;) {
    if (seen.has(ifd) || ifd + 2 > b.length) return bad("corrupt TIFF: a broken page directory");
    seen.add(ifd);
    offsets.push(ifd);
    const count = u16(ifd);
    if (ifd + 2 + count * 12 + 4 > b.length) return bad("corrupt TIFF: a page directory is cut short");
    if (offsets.length === 1) {
      for (let i = 0; i < count; i++) {
        const e = ifd + 2 + i * 12;
        const tag = u16(e);
        const type = u16(e + 2);
        const value = type === 3 ? u16(e + 8) : u32(e + 8);
        if (tag === 256) width = value;
        if (tag === 257) height = value;
      }
    }
    // One more than the limit is enough to say "too many pages".
    if (offsets.length > maxPages) break;
    ifd = u32(ifd + 2 + count * 12);
  }
  if (offsets.length === 0) return bad("corrupt TIFF: no page directory");
  const result = sized("tiff", width, height, { ifdOffsets: offsets, littleEndian: le });
  if (result.ok) result.header.pages = offsets.length;
  return result;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Whether a PNG's pixel data is all there: image decoders draw a cut-short PNG with its missing
 * rows blank, which would read as an empty page rather than a broken file. The data is
 * inflated (never more than the image's size) and measured against its rows.
 */
export function pngComplete(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33) return false;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = bytes[24]!;
  const channels = CHANNELS[bytes[25]!];
  if (!channels || bytes[28] !== 0) return true; // an unknown colour type or interlacing: left to the decoder
  const expected = height * (1 + Math.ceil((width * channels * depth) / 8));
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) return false;
    if (type === "IDAT") idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === "IEND") {
      ended = true;
      break;
    }
    at += 12 + length;
  }
  if (!ended || !idat.length) return false;
  try {
    return inflateSync(Buffer.concat(idat), { maxOutputLength: expected }).length >= expected;
  } catch (err) {
    // More data than the rows need is not a cut-short file.
    return (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
  }
}

/**
 * Page `index` (from 0) of a multi-page TIFF as a TIFF of its own: the same bytes with the
 * header pointing at that page's directory and that directory's next-page link cut, since
 * decoders read the first page only. Offsets inside a TIFF are absolute, so nothing moves.
 */
export function tiffPage(bytes: Uint8Array, header: ImageHeader, index: number): Uint8Array {
  const offset = header.ifdOffsets?.[index];
  if (offset === undefined) throw new RangeError("no such TIFF page");
  const copy = new Uint8Array(bytes);
  const view = new DataView(copy.buffer);
  const le = header.littleEndian ?? true;
  view.setUint32(4, offset, le);
  const count = view.getUint16(offset, le);
  view.setUint32(offset + 2 + count * 12, 0, le);
  return copy;
}
