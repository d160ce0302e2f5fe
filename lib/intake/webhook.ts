/**
 * POST /api/referral-requests, as a plain (Request) => Response function so integration tests
 * call it without a server. Order matters: authenticate before reading a byte of the body,
 * refuse oversized bodies without reading the rest, verify the signature over the raw bytes,
 * then parse, validate and store in one transaction. No input produces a 500, and no PHI is
 * logged (only ids, sizes and statuses).
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { authenticateApiClient } from "../api-clients";
import { getDb, type Db } from "../db";
import { getEnv } from "../env";
import { logger } from "../log";
import { ApiError } from "../errors";
import { decodeFiles, YIELD_ABOVE_CHARS, yieldToEventLoop } from "./files";
import { ingestReferralRequest } from "./ingest";
import { formatPath, ZReferralRequest } from "./schema";

const log = logger("webhook");

const bodyTooLarge = (limit: number) =>
  new ApiError("payload_too_large", `The body is larger than ${limit} bytes`, [{ path: "(body)", message: "too large" }]);

async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => {});
    throw bodyTooLarge(limit);
  }
  if (!req.body) return Buffer.alloc(0);
  // A declared length within the limit: the HTTP server delivers exactly that many bytes, read in one go.
  if (declared !== null && /^\d+$/.test(declared)) {
    const body = Buffer.from(await req.arrayBuffer());
    if (body.length > limit) throw bodyTooLarge(limit);
    return body;
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function isJson(contentType: string | null): boolean {
  if (!contentType) return false;
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  return mime === "application/json" || /^application\/[\w.+-]+\+json$/.test(mime);
}

export async function handleReferralWebhook(req: Request, db: Db = getDb()): Promise<Response> {
  const started = Date.now();
  try {
    const env = getEnv();
    const client = await authenticateApiClient(db, req.headers.get("authorization"));
    if (!client) {
      await req.body?.cancel().catch(() => {});
      throw new ApiError(
        "unauthorized",
        "Authentication required: HTTP Basic with the API key and secret, or a Bearer secret",
        [{ path: "headers.authorization", message: "missing or invalid credentials" }],
        { "www-authenticate": 'Basic realm="csi-referral-review", charset="UTF-8"' },
      );
    }
    if (!isJson(req.headers.get("content-type"))) {
      await req.body?.cancel().catch(() => {});
      throw new ApiError("unsupported_media_type", "The body must be JSON (Content-Type: application/json)", [
        { path: "headers.content-type", message: "must be application/json" },
      ]);
    }
    const raw = await readBody(req, env.WEBHOOK_BODY_LIMIT_BYTES);

    let messageId: string | null = null;
    if (client.signingSecret) {
      const headers = {
        "webhook-id": req.headers.get("webhook-id") ?? "",
        "webhook-timestamp": req.headers.get("webhook-timestamp") ?? "",
        "webhook-signature": req.headers.get("webhook-signature") ?? "",
      };
      const missing = Object.entries(headers).filter(([, v]) => !v).map(([k]) => k);
      if (missing.length) {
        throw new ApiError(
          "unauthorized",
          "This API client signs its deliveries: Standard Webhooks headers are required",
          missing.map((k) => ({ path: `headers.${k}`, message: "required" })),
        );
      }
      try {
        try {
          new Webhook(client.signingSecret).verify(raw, headers, { jsonParse: false });
        } catch (err) {
          // During a signing-secret rotation the previous secret still signs valid deliveries.
          if (!client.previousSigningSecret) throw err;
          new Webhook(client.previousSigningSecret).verify(raw, headers, { jsonParse: false });
        }
      } catch (err) {
        const reason = err instanceof WebhookVerificationError ? err.message : "verification failed";
        throw new ApiError("unauthorized", `Invalid webhook signature: ${reason}`, [
          { path: "headers.webhook-signature", message: reason },
        ]);
      }
      messageId = headers["webhook-id"];
    }

    // A large body (attachments) lets other requests run between the steps that each take tens
    // of milliseconds on it, so reviewers' pages do not stall while a 50 MB scan is stored.
    const large = raw.length > YIELD_ABOVE_CHARS;
    const pause = () => (large ? yieldToEventLoop() : undefined);
    let json: unknown;
    try {
      const text = raw.toString("utf8");
      await pause();
      json = JSON.parse(text);
    } catch {
      throw new ApiError("bad_request", "The body is not valid JSON", [{ path: "(body)", message: "malformed JSON" }]);
    }
    await pause();
    const parsed = ZReferralRequest.safeParse(json);
    if (!parsed.success) {
      throw new ApiError(
        "invalid_data",
        "The referral request does not match the schema",
        parsed.error.issues.slice(0, 100).map((i) => ({ path: formatPath(i.path), message: i.message })),
      );
    }
    await pause();
    const files = await decodeFiles(parsed.data.files ?? [], env.WEBHOOK_FILE_LIMIT_BYTES);
    await pause();
    const result = await ingestReferralRequest(db, {
      payload: parsed.data,
      files,
      actor: { type: "api_client", id: client.id, label: client.name },
      apiClientId: client.id,
      webhookMessageId: messageId,
    });
    const status = result.outcome === "duplicate" ? 200 : 201;
    log.info(`${status} ${result.outcome} referral=${result.id} bytes=${raw.length} files=${files.length} ms=${Date.now() - started}`);
    return Response.json(
      {
        id: result.id,
        request_id: result.requestId,
        status: result.status,
        ...(result.outcome === "duplicate" ? { duplicate: true } : {}),
        ...(result.submission > 1 || result.outcome === "amended" ? { amendment: result.submission - 1 } : {}),
      },
      {
        status,
        headers: { location: `/referrals/${result.id}`, "cache-control": "no-store" },
      },
    );
  } catch (err) {
    if (err instanceof ApiError) {
      log.info(`${err.status} ${err.code} ms=${Date.now() - started}`);
      return err.toResponse();
    }
    // Unexpected (database down, bug): 503 so the sender retries; nothing was committed.
    const code = (err as { code?: string }).code;
    log.error(`unexpected failure${code ? ` (${code})` : ""}: ${(err as Error).name}`);
    return new ApiError("unavailable", "The referral request could not be stored; retry later", [], { "retry-after": "5" }).toResponse();
  }
}
