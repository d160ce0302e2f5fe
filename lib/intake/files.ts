import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { ApiError, type ApiIssue } from "../errors";

export type DecodedFile = {
  idx: number;
  originalName: string;
  safeName: string;
  contentType: string;
  size: number;
  sha256: string;
  data: Buffer;
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size from the base64 length alone, so an oversized file is refused before decoding. */
export function decodedLength(b64: string): number {
  const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}

/**
 * A name safe for storage and Content-Disposition: no path, no control or shell-special
 * characters, at most 120 characters, and an extension that matches the sniffed content.
 */
export function safeFileName(original: string, ext: string | undefined, idx: number): string {
  const base = original.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  let stem = (dot > 0 ? base.slice(0, dot) : base)
    .normalize("NFKD")
    .replace(/[^\w.\- ]+/g, "_")
    .replace(/\s+/g, "_")
    .replace(/^[.\-_]+/, "")
    .slice(0, 100);
  if (!stem) stem = `file-${idx + 1}`;
  const origExt =
    dot > 0
      ? base
          .slice(dot + 1)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "")
          .slice(0, 10)
      : "";
  const finalExt = ext ?? (origExt || "bin");
  return `${stem}.${finalExt}`;
}

/** Files above this size let other requests run between the steps of their decoding. */
export const YIELD_ABOVE_CHARS = 1_000_000;
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The bytes of a base64 string, "invalid", or "too_large" (judged from the length, before decoding).
 * Fast path: a string that decodes and encodes back to itself is valid (the usual case, and a
 * regular expression over a 50 MB string costs a third of a second). Anything else (line breaks,
 * non-canonical padding bits, bad characters) takes the strict path: MIME-style whitespace is
 * removed, and then only the base64 alphabet is accepted.
 */
export function decodeBase64(value: string, limitBytes: number): Buffer | "invalid" | "too_large" {
  if (value.length % 4 === 0 && decodedLength(value) <= limitBytes) {
    const data = Buffer.from(value, "base64");
    if (data.toString("base64") === value) return data;
  }
  const b64 = value.replace(/[\r\n\t ]+/g, "");
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) return "invalid";
  if (decodedLength(b64) > limitBytes) return "too_large";
  return Buffer.from(b64, "base64");
}

/** Files with a value, decoded; a file sent without a value (the spec allows it) stores nothing. */
export async function decodeFiles(
  files: ReadonlyArray<{ file_name: string; file_value: string }>,
  limitBytes: number,
): Promise<DecodedFile[]> {
  const issues: ApiIssue[] = [];
  const tooLarge: ApiIssue[] = [];
  const out: DecodedFile[] = [];
  for (const [idx, f] of files.entries()) {
    const path = `files[${idx}].file_value`;
    if (f.file_value === "") continue;
    if (idx > 0 && f.file_value.length > YIELD_ABOVE_CHARS) await yieldToEventLoop();
    const data = decodeBase64(f.file_value, limitBytes);
    if (data === "invalid") {
      issues.push({ path, message: "is not valid base64" });
      continue;
    }
    if (data === "too_large") {
      tooLarge.push({ path, message: `is larger than ${limitBytes} bytes` });
      continue;
    }
    // An empty file value is allowed by the spec: nothing to store.
    if (data.length === 0) continue;
    out.push(await describeFile(idx, f.file_name, data));
  }
  if (tooLarge.length) throw new ApiError("payload_too_large", "A file is larger than the limit", tooLarge);
  if (issues.length) throw new ApiError("invalid_data", "A file could not be decoded", issues);
  return out;
}

/** A file's stored form: type sniffed from the bytes (never trusted from the name), a safe name, its digest. */
export async function describeFile(idx: number, originalName: string, data: Buffer): Promise<DecodedFile> {
  const sniffed = quickSniff(data) ?? (await fileTypeFromBuffer(data));
  return {
    idx,
    originalName,
    safeName: safeFileName(originalName, sniffed?.ext, idx),
    contentType: sniffed?.mime ?? (isProbablyText(data) ? "text/plain" : "application/octet-stream"),
    size: data.length,
    sha256: createHash("sha256").update(data).digest("hex"),
    data,
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The formats agencies nearly always send (PDF, PNG, JPEG, GIF), recognised from their first
 * bytes exactly as file-type would name them, without its walk through every detector (a
 * tenth of a millisecond per file). Anything else, or anything unusual, is left to file-type.
 */
export function quickSniff(data: Buffer): { ext: string; mime: string } | undefined {
  if (data.length >= 4 && data[0] === 0x25 && data.toString("latin1", 0, 4) === "%PDF")
    return { ext: "pdf", mime: "application/pdf" };
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff && data[3] !== 0xf7)
    return { ext: "jpg", mime: "image/jpeg" };
  if (data.length >= 3 && data.toString("latin1", 0, 3) === "GIF") return { ext: "gif", mime: "image/gif" };
  if (data.length >= 33 && data.subarray(0, 8).equals(PNG_SIGNATURE)) {
    // A plain PNG: IHDR (13 bytes) first, then chunks up to the first IDAT; acTL before it makes an APNG.
    if (data.readInt32BE(8) !== 13 || data.toString("latin1", 12, 16) !== "IHDR") return undefined;
    for (let at = 33; at + 8 <= data.length;) {
      const length = data.readInt32BE(at);
      const type = data.toString("latin1", at + 4, at + 8);
      if (length < 0) return undefined;
      if (type === "IDAT") return { ext: "png", mime: "image/png" };
      if (type === "acTL") return { ext: "apng", mime: "image/apng" };
      at += 12 + length;
    }
  }
  return undefined;
}

function isProbablyText(data: Buffer): boolean {
  const sample = data.subarray(0, 4096);
  for (const byte of sample) if (byte === 0 || (byte < 9 && byte !== 0)) return false;
  return true;
}
