/**
 * Signature verification: compatible with the Standard Webhooks reference library's signatures,
 * strict about what it accepts, and done with node:crypto in slices, so a 100 MB body does not
 * block the event loop (the pure-JS SHA-256 of the reference library took about two seconds of
 * blocked loop on it; bench:intake measures the speed).
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { bodyDigest, verifyStandardWebhook } from "./signature";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const sign = (id: string, at: Date, body: string | Buffer) =>
  new Webhook(secret).sign(id, at, typeof body === "string" ? body : body.toString());
const seconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

describe("verifyStandardWebhook", () => {
  it("accepts the reference library's signatures, also among others during a rotation", async () => {
    const at = new Date();
    const body = Buffer.from(JSON.stringify({ request_id: "r1", note: "çà €" }));
    const signature = sign("msg_1", at, body);
    await expect(
      verifyStandardWebhook(secret, body, { id: "msg_1", timestamp: seconds(at), signature }),
    ).resolves.toBeUndefined();
    const rotated = `v1,${randomBytes(32).toString("base64")} ${signature} v2,abc`;
    await expect(
      verifyStandardWebhook(secret, body, { id: "msg_1", timestamp: seconds(at), signature: rotated }),
    ).resolves.toBeUndefined();
  });

  it("refuses another body, id, timestamp or key, stale and future timestamps, and malformed ones", async () => {
    const at = new Date();
    const body = Buffer.from('{"a":1}');
    const signature = sign("msg_1", at, body);
    const ok = { id: "msg_1", timestamp: seconds(at), signature };
    const refused = (over: Partial<typeof ok>, b = body, s = secret) => verifyStandardWebhook(s, b, { ...ok, ...over });
    await expect(refused({}, Buffer.from('{"a":2}'))).rejects.toMatchObject({ header: "webhook-signature" });
    await expect(refused({ id: "msg_2" })).rejects.toMatchObject({ header: "webhook-signature" });
    await expect(refused({ timestamp: String(Number(ok.timestamp) - 1) })).rejects.toMatchObject({
      header: "webhook-signature",
    });
    await expect(refused({}, body, `whsec_${randomBytes(32).toString("base64")}`)).rejects.toMatchObject({
      header: "webhook-signature",
    });
    const old = new Date(Date.now() - 6 * 60_000);
    await expect(refused({ timestamp: seconds(old), signature: sign("msg_1", old, body) })).rejects.toMatchObject({
      message: "Message timestamp too old",
    });
    const future = new Date(Date.now() + 6 * 60_000);
    await expect(refused({ timestamp: seconds(future), signature: sign("msg_1", future, body) })).rejects.toMatchObject(
      {
        message: "Message timestamp too new",
      },
    );
    await expect(refused({ timestamp: `${ok.timestamp}x` })).rejects.toMatchObject({ header: "webhook-timestamp" });
    await expect(refused({ signature: signature.replace("v1,", "v2,") })).rejects.toMatchObject({
      header: "webhook-signature",
    });
  });

  it("verifies and digests a 100 MB body in slices, the event loop turning between them", async () => {
    const body = Buffer.alloc(100 * 1024 * 1024, 0x41);
    const at = new Date();
    const signature = sign("msg_big", at, "A".repeat(body.length));
    // Counts the event loop's turns while the body is hashed: done in one go, there would be none
    // in between. 100 MB in 4 MB slices is 25 slices, for the HMAC and again for the digest.
    let turns = 0;
    let hashing = true;
    const tick = () => {
      turns++;
      if (hashing) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      await verifyStandardWebhook(secret, body, { id: "msg_big", timestamp: seconds(at), signature });
      await expect(bodyDigest(body)).resolves.toMatch(/^[0-9a-f]{64}$/);
    } finally {
      hashing = false;
    }
    expect(turns).toBeGreaterThanOrEqual(2 * 24);
  });
});
