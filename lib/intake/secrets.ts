import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";

function appSecret(): string {
  const s = getEnv().APP_SECRET;
  if (!s) throw new Error("APP_SECRET is not set (the launcher generates one in development)");
  return s;
}

function derive(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret(), "csi-referral-review", purpose, 32));
}

let hashKey: Buffer | undefined;
let encKey: Buffer | undefined;

/**
 * API client secrets are 256-bit random values, so a fast keyed hash (HMAC-SHA256) is enough:
 * nothing can be brute-forced, and a slow password hash would cap webhook throughput.
 */
export function hashApiSecret(secret: string): string {
  hashKey ??= derive("api-client-secret-hash");
  return createHmac("sha256", hashKey).update(secret).digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** AES-256-GCM for secrets that must be recovered (webhook signing secrets). */
export function encryptSecret(plain: string): string {
  encKey ??= derive("signing-secret-encryption");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encKey, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(
    ".",
  );
}

export function decryptSecret(sealed: string): string {
  encKey ??= derive("signing-secret-encryption");
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || !body) throw new Error("unknown sealed-secret format");
  const decipher = createDecipheriv("aes-256-gcm", encKey, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

export const randomToken = (prefix: string, bytes = 32) => `${prefix}${randomBytes(bytes).toString("base64url")}`;
