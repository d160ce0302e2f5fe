/**
 * Standard Webhooks signature verification (https://www.standardwebhooks.com): HMAC-SHA256 with
 * the base64 key after "whsec_", over "<webhook-id>.<webhook-timestamp>.<raw body>", sent as
 * "v1,<base64>" (several, space-separated, during a rotation), the timestamp within 5 minutes.
 * node:crypto's HMAC (OpenSSL) instead of the standardwebhooks package's pure-JS SHA-256, which
 * took seconds of blocked event loop on a 120 MB body. Large bodies are hashed in slices with
 * other requests let in between. The same pass digests the body (sha256), which identifies a
 * sender's retry of the same message.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
const SLICE_BYTES = 4 * 1024 * 1024;
const PREFIX = "whsec_";

export class SignatureError extends Error {
  constructor(
    message: string,
    readonly header: "webhook-id" | "webhook-timestamp" | "webhook-signature",
  ) {
    super(message);
    this.name = "SignatureError";
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** sha256 of the body (hex), sliced like the HMAC so a large body never blocks for long. */
export async function bodyDigest(body: Buffer): Promise<string> {
  const hash = createHash("sha256");
  for (let at = 0; at < body.length; at += SLICE_BYTES) {
    if (at > 0) await nextTurn();
    hash.update(body.subarray(at, at + SLICE_BYTES));
  }
  return hash.digest("hex");
}

/** Throws SignatureError (naming the header at fault) unless one v1 signature matches. */
export async function verifyStandardWebhook(
  secret: string,
  body: Buffer,
  headers: { id: string; timestamp: string; signature: string },
  now: Date = new Date(),
): Promise<void> {
  if (!/^\d{1,12}$/.test(headers.timestamp))
    throw new SignatureError("Invalid webhook-timestamp (seconds since the epoch)", "webhook-timestamp");
  const ts = Number(headers.timestamp);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - ts > SIGNATURE_TOLERANCE_SECONDS)
    throw new SignatureError("Message timestamp too old", "webhook-timestamp");
  if (ts - nowSeconds > SIGNATURE_TOLERANCE_SECONDS)
    throw new SignatureError("Message timestamp too new", "webhook-timestamp");

  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  const hmac = createHmac("sha256", key);
  hmac.update(`${headers.id}.${headers.timestamp}.`);
  for (let at = 0; at < body.length; at += SLICE_BYTES) {
    if (at > 0) await nextTurn();
    hmac.update(body.subarray(at, at + SLICE_BYTES));
  }
  const expected = hmac.digest();
  for (const versioned of headers.signature.split(" ")) {
    const [version, value] = versioned.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new SignatureError("No matching signature found", "webhook-signature");
}
