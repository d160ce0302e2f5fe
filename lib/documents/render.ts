/**
 * Page images: what the viewer shows and what OCR reads, so the boxes returned for a page are
 * in the pixels of exactly this image. A PDF page is drawn at one fixed scale (RENDER_SCALE × 72
 * dpi); an image file is decoded once and brought within a size range. Sizes are checked from
 * the page's dimensions or the image's header before any canvas is made.
 */
import { createCanvas, loadImage, type Canvas } from "@napi-rs/canvas";
import type { PDFPageProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { ImageHeader } from "./image-header";
import { withTimeout } from "./util";

/** PDF pages are drawn at 2 × 72 = 144 dpi: a letter page is 1224 × 1584 pixels. */
export const RENDER_SCALE = 2;

/** A page image is at most this many pixels (a 34 × 34 inch page at RENDER_SCALE); larger pages are refused, not shrunk, so the scale stays fixed. */
export const MAX_PAGE_PIXELS = 25_000_000;

/** Image files: refused from the header above these (before decoding). */
export const IMAGE_MAX_SIDE = 12_000;
export const IMAGE_MAX_PIXELS = 40_000_000;
/** Image files are brought to a long side within [IMAGE_MIN_LONG_SIDE, IMAGE_MAX_LONG_SIDE] (at most ×3 up): ~150–350 dpi for a letter page. */
export const IMAGE_MIN_LONG_SIDE = 1600;
export const IMAGE_MAX_LONG_SIDE = 3600;
/** Smaller than this on either side, an image cannot hold readable text. */
export const IMAGE_MIN_SIDE = 32;

export type PageImage = { png: Buffer; width: number; height: number };
/** A drawn page before it is encoded (to scale it for OCR without decoding the PNG again). */
export type DrawnPage = { canvas: Canvas; width: number; height: number };

/**
 * OCR reads pages at this resolution (for a letter page: 2200 pixels on the long side), above
 * the viewer's: 144 dpi loses the strokes of 9-point print on a fax. Its boxes are scaled to the
 * page image.
 */
export const OCR_DPI = 200;
/**
 * What OCR reads is softened by a sub-pixel blur first: a scan's specks and grain then fall under
 * tesseract's threshold while strokes stay. Measured on the corpus (scripts/measure-documents.ts):
 * false flags on scans about halved, and recognition a little faster (fewer specks to read).
 */
export const OCR_FILTER = "blur(0.7px)";
/** The long side of a letter page, in inches: images are scaled for OCR as if they were one. */
const LETTER_LONG_SIDE_INCHES = 11;

/**
 * The page as an 8-bit grey PGM, what OCR is given: tesseract reads it at once, where a PNG of a
 * noisy scan costs half a second to compress here and again to inflate there.
 */
export function toPgm(drawn: DrawnPage): Buffer {
  const { width, height } = drawn;
  const rgba = drawn.canvas.getContext("2d").getImageData(0, 0, width, height).data;
  const head = Buffer.from(`P5\n${width} ${height}\n255\n`, "latin1");
  const out = Buffer.allocUnsafe(head.length + width * height);
  head.copy(out);
  for (let i = 0, o = head.length; i < rgba.length; i += 4, o++)
    out[o] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
  return out;
}

/** The page as PNG. */
export async function encode(drawn: DrawnPage): Promise<PageImage> {
  return { png: await drawn.canvas.encode("png"), width: drawn.width, height: drawn.height };
}

/** The drawn page scaled to `width` × `height` (smoothing on), through a CSS `filter` if given. */
export function scaled(drawn: DrawnPage, width: number, height: number, filter?: string): DrawnPage {
  if (width === drawn.width && height === drawn.height && !filter) return drawn;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  if (filter) context.filter = filter;
  context.drawImage(drawn.canvas, 0, 0, width, height);
  return { canvas, width, height };
}

/** How much larger than the page image OCR reads an image file (at least 1, at most 2). */
export function ocrUpscale(width: number, height: number, dpi = OCR_DPI): number {
  const want = dpi * LETTER_LONG_SIDE_INCHES;
  const long = Math.max(width, height);
  return long >= want ? 1 : Math.min(2, want / long);
}

/** Why a PDF page of this size (in PDF points) cannot be drawn, or null. */
export function pdfPageTooLarge(widthPx: number, heightPx: number, page: number): string | null {
  if (widthPx * heightPx <= MAX_PAGE_PIXELS) return null;
  const inches = (px: number) => Math.round(px / RENDER_SCALE / 72);
  return `page ${page} is ${inches(widthPx)} × ${inches(heightPx)} inches, too large to draw`;
}

/** Draw a PDF page at `scale` into a PNG; a render over `timeoutMs` is cancelled. */
export async function renderPdfPage(page: PDFPageProxy, timeoutMs: number, scale = RENDER_SCALE): Promise<PageImage> {
  return encode(await drawPdfPage(page, timeoutMs, scale));
}

/** Draw a PDF page at `scale`; a render over `timeoutMs` is cancelled. */
export async function drawPdfPage(page: PDFPageProxy, timeoutMs: number, scale = RENDER_SCALE): Promise<DrawnPage> {
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  // pdfjs types its canvas as the DOM's; @napi-rs/canvas implements what it uses.
  const task = page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: context as unknown as CanvasRenderingContext2D,
    viewport,
  });
  await withTimeout(task.promise, timeoutMs, () => task.cancel());
  return { canvas, width, height };
}

/** Why an image of this header cannot be read, or null. */
export function imageTooLarge(header: Pick<ImageHeader, "width" | "height">): string | null {
  const { width, height } = header;
  if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE || width * height > IMAGE_MAX_PIXELS)
    return `the image is ${width} × ${height} pixels, larger than the ${IMAGE_MAX_SIDE} pixels a side and ${IMAGE_MAX_PIXELS / 1_000_000} megapixels read`;
  if (width < IMAGE_MIN_SIDE || height < IMAGE_MIN_SIDE)
    return `the image is ${width} × ${height} pixels, too small to hold readable text`;
  return null;
}

/** The scale an image of this size is drawn at. */
export function imageScale(width: number, height: number): number {
  const long = Math.max(width, height);
  if (long < IMAGE_MIN_LONG_SIDE) return Math.min(3, IMAGE_MIN_LONG_SIDE / long);
  if (long > IMAGE_MAX_LONG_SIDE) return IMAGE_MAX_LONG_SIDE / long;
  return 1;
}

/**
 * An image file (PNG, JPEG, GIF, WebP, or a TIFF page already made PNG) as the page image: decoded
 * once, on white (transparency would read as black), scaled by imageScale. The caller has
 * checked the header's size.
 */
export async function normaliseImage(
  bytes: Uint8Array,
  header: Pick<ImageHeader, "width" | "height">,
): Promise<PageImage> {
  return encode(await drawImageFile(bytes, header));
}

/** drawImageFile, before encoding. */
export async function drawImageFile(
  bytes: Uint8Array,
  header: Pick<ImageHeader, "width" | "height">,
): Promise<DrawnPage> {
  const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // The decoded size is the header's (turned, when the decoder applies a JPEG's EXIF orientation);
  // a decoder that disagrees is not trusted with a canvas.
  const same = image.width === header.width && image.height === header.height;
  const turned = image.width === header.height && image.height === header.width;
  if (!same && !turned) throw new Error("the image's size differs from its header");
  const scale = imageScale(image.width, image.height);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  return { canvas, width, height };
}
