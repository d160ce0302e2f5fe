/**
 * Uploading a file to ACCloud (contract §8): what a caller hands over, the size limit checked before
 * sending, the multipart body, and the extra time a file gets to travel.
 */
import { openAsBlob } from "node:fs";
import type { Readable } from "node:stream";
import { refused } from "./checks";
import type { Endpoint } from "./endpoints";

/** A file to upload; its size must be known before sending so the limit is checked up front. */
export type AttachmentInput = {
  /** Travels in the part's Content-Disposition (the endpoint requires it). */
  filename: string;
  contentType?: string;
} & ({ data: Uint8Array } | { path: string } | { stream: Readable | ReadableStream<Uint8Array>; size: number });

/** The slowest upload speed a file's timeout allows for (1 MB/s: 50 MB get 50 s more than a call). */
export const UPLOAD_MIN_BYTES_PER_SECOND = 1_000_000;

/**
 * The single part `file`, its name in the Content-Disposition. fetch streams a Blob as it sends it
 * and declares the length, so no bytes are copied needlessly: a file on disk is read while sending
 * (openAsBlob), bytes in memory are copied once into the Blob, a stream is gathered chunk by chunk.
 */
export async function attachmentForm(e: Endpoint, file: AttachmentInput, maxBytes: number): Promise<FormData> {
  if (!file.filename || /[\r\n]/.test(file.filename)) throw refused(e, ["filename: required, single line"]);
  const type =
    file.contentType && /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(file.contentType)
      ? file.contentType
      : "application/octet-stream";
  const within = (size: number) => {
    if (!Number.isInteger(size) || size < 0) throw refused(e, ["size: must be the file's byte length"]);
    if (size > maxBytes) throw refused(e, [`file: ${size} bytes is over the ${maxBytes}-byte limit`]);
    return size;
  };
  let blob: Blob;
  if ("data" in file) {
    within(file.data.byteLength);
    blob = new Blob([file.data as Uint8Array<ArrayBuffer>], { type });
  } else if ("path" in file) {
    blob = await openAsBlob(file.path, { type });
    within(blob.size);
  } else blob = await gather(e, file.stream, within(file.size), type);
  const form = new FormData();
  form.append("file", blob, file.filename);
  return form;
}

/** A stream of a declared length, into one Blob: each chunk is copied once, into a Blob of its own. */
async function gather(
  e: Endpoint,
  stream: Readable | ReadableStream<Uint8Array>,
  size: number,
  type: string,
): Promise<Blob> {
  const parts: Blob[] = [];
  let read = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    read += chunk.byteLength;
    // Leaving the loop cancels the stream: nothing past the declared length is read.
    if (read > size) break;
    parts.push(new Blob([chunk as Uint8Array<ArrayBuffer>]));
  }
  if (read !== size)
    throw refused(e, [`size: the stream is ${read > size ? "longer" : "shorter"} than the ${size} bytes declared`]);
  return new Blob(parts, { type });
}
