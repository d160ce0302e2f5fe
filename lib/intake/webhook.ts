/**
 * POST /api/referral-requests, as a plain (Request) => Response function so integration tests
 * call it without a server. Order matters: authenticate before reading a byte of the body,
 * refuse oversized bodies without reading the rest, wait for a turn before holding a large body
 * in memory, verify the signature over the raw bytes, bound the JSON's shape before parsing it,
 * then parse, validate and store in one transaction. No input produces a 500; what fails the
 * same way on every retry is a 4xx naming the field, and 503 is kept for what a retry can cure.
 * No PHI is logged (only ids, sizes and statuses).
 */
import { authenticateApiClient } from "./api-clients";
import { getDb, isDatabaseUnavailable, isUnstorableValue, type Db } from "../db";
import { getEnv } from "../env";
import { logger } from "../log";
import { ApiError, errorBrief, errorCode } from "../errors";
import { decodeFiles, YIELD_ABOVE_CHARS, yieldToEventLoop } from "./files";
import { Gate, LARGE_BODY_BYTES, LARGE_BODY_WAIT_MS } from "./gate";
import type { IngestResult, WebhookMessage } from "./delivery";
import { ingestReferralRequest } from "./ingest";
import { pruneWebhookMessages, replayOfWebhookMessage } from "./webhook-messages";
import { checkJsonShape, unstorableText } from "./limits";
import { formatPath, ZReferralRequest } from "./schema";
import { bodyDigest, SignatureError, verifyStandardWebhook } from "./signature";

const log = logger("webhook");

const bodyTooLarge = (limit: number) =>
  new ApiError("payload_too_large", `The body is larger than ${limit} bytes`, [
    { path: "(body)", message: "too large" },
  ]);

const largeBodies = new Gate(() => getEnv().WEBHOOK_LARGE_BODIES_AT_ONCE);
const busy = () =>
  new ApiError("unavailable", "Too many large deliveries are being stored right now; retry later", [], {
    "retry-after": "30",
  });

/** A turn for a large body, held until the delivery is answered. */
type Turn = { release: (() => void) | null };
async function takeTurn(turn: Turn): Promise<void> {
  if (turn.release) return;
  const release = await largeBodies.acquire(LARGE_BODY_WAIT_MS);
  if (!release) throw busy();
  turn.release = release;
}

/**
 * A body read fails only when the sender closes the connection before the whole body arrived
 * (Node reports ECONNRESET, "aborted"). That is a 400 nobody reads, and neither a database
 * failure nor a 503; the sender retries a delivery it got no answer for.
 */
function arrived<T>(read: Promise<T>): Promise<T> {
  return read.catch((err: unknown) => {
    if (err instanceof ApiError) throw err;
    throw new ApiError("bad_request", "The connection closed before the whole body arrived", [
      { path: "(body)", message: "incomplete" },
    ]);
  });
}

async function readBody(req: Request, limit: number, turn: Turn): Promise<Buffer> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => {});
    throw bodyTooLarge(limit);
  }
  if (!req.body) return Buffer.alloc(0);
  // A declared length within the limit: the HTTP server delivers exactly that many bytes, read in one go.
  if (declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) > LARGE_BODY_BYTES) await takeTurn(turn);
    const body = Buffer.from(await arrived(req.arrayBuffer()));
    if (body.length > limit) throw bodyTooLarge(limit);
    return body;
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await arrived(reader.read());
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
    // A streamed body becomes large on the way: it waits here, the rest unread, for its turn.
    if (total > LARGE_BODY_BYTES && !turn.release) {
      await takeTurn(turn).catch(async (err) => {
        await reader.cancel().catch(() => {});
        throw err;
      });
    }
  }
  return Buffer.concat(chunks, total);
}

let lastPrune = 0;
/** Old message ids go at most once a minute per process, in the background of a signed delivery. */
function pruneNowAndThen(db: Db): void {
  if (Date.now() - lastPrune < 60_000) return;
  lastPrune = Date.now();
  pruneWebhookMessages(db, getEnv().WEBHOOK_MESSAGE_RETENTION_HOURS).catch((err: unknown) =>
    log.warn(`pruning message ids failed: ${errorBrief(err)}`),
  );
}

function isJson(contentType: string | null): boolean {
  if (!contentType) return false;
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  return mime === "application/json" || /^application\/[\w.+-]+\+json$/.test(mime);
}

export async function handleReferralWebhook(req: Request, db: Db = getDb()): Promise<Response> {
  const started = Date.now();
  const turn: Turn = { release: null };
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
    const raw = await readBody(req, env.WEBHOOK_BODY_LIMIT_BYTES, turn);

    let message: WebhookMessage | null = null;
    if (client.signingSecret) {
      const headers = {
        "webhook-id": req.headers.get("webhook-id") ?? "",
        "webhook-timestamp": req.headers.get("webhook-timestamp") ?? "",
        "webhook-signature": req.headers.get("webhook-signature") ?? "",
      };
      const missing = Object.entries(headers)
        .filter(([, v]) => !v)
        .map(([k]) => k);
      if (missing.length) {
        throw new ApiError(
          "unauthorized",
          "This API client signs its deliveries: Standard Webhooks headers are required",
          missing.map((k) => ({ path: `headers.${k}`, message: "required" })),
        );
      }
      if (headers["webhook-id"].length > 255) {
        throw new ApiError("bad_request", "The webhook-id is longer than 255 characters", [
          { path: "headers.webhook-id", message: "at most 255 characters" },
        ]);
      }
      const signed = {
        id: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
      };
      try {
        try {
          await verifyStandardWebhook(client.signingSecret, raw, signed);
        } catch (err) {
          // During a signing-secret rotation the previous secret still signs valid deliveries.
          if (!(err instanceof SignatureError) || !client.previousSigningSecret) throw err;
          await verifyStandardWebhook(client.previousSigningSecret, raw, signed);
        }
      } catch (err) {
        if (!(err instanceof SignatureError)) throw err;
        throw new ApiError("unauthorized", `Invalid webhook signature: ${err.message}`, [
          { path: `headers.${err.header}`, message: err.message },
        ]);
      }
      message = { id: headers["webhook-id"], bodySha256: await bodyDigest(raw) };
      pruneNowAndThen(db);
      // A sender's retry of a message already stored: its original answer, without parsing again.
      const replay = await replayOfWebhookMessage(db, client.id, message);
      if (replay) return answer(replay, raw.length, 0, started);
    }

    const shape = checkJsonShape(raw);
    if (shape) throw shape;
    // A large body lets other requests run between the steps that each take tens of
    // milliseconds on it, so reviewers' pages do not stall while a 50 MB scan is stored.
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
    const unstorable = unstorableText(json);
    if (unstorable.length)
      throw new ApiError("invalid_data", "The referral request contains text PostgreSQL cannot store", unstorable);
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
      webhookMessage: message,
    });
    return answer(result, raw.length, files.length, started);
  } catch (err) {
    if (err instanceof ApiError) {
      log.info(`${err.status} ${err.code} ms=${Date.now() - started}`);
      return err.toResponse();
    }
    const code = errorCode(err);
    // What PostgreSQL refuses for the value itself (out of range, too long for an index, ...)
    // fails the same way on every retry: 422, not a 503 that would be retried forever.
    if (isUnstorableValue(err)) {
      log.warn(`422 unstorable value (${code}) ms=${Date.now() - started}`);
      return new ApiError("invalid_data", "A value of the referral request cannot be stored", [
        { path: "(body)", message: `PostgreSQL refused a value (SQLSTATE ${code})` },
      ]).toResponse();
    }
    // The database down or busy, or a bug: 503 so the sender retries; nothing was committed.
    log.error(`${isDatabaseUnavailable(err) ? "database unavailable" : "unexpected failure"}: ${errorBrief(err)}`);
    return new ApiError("unavailable", "The referral request could not be stored; retry later", [], {
      "retry-after": "5",
    }).toResponse();
  } finally {
    turn.release?.();
  }
}

function answer(result: IngestResult, bytes: number, files: number, started: number): Response {
  const status = result.outcome === "duplicate" ? 200 : 201;
  log.info(
    `${status} ${result.outcome}${result.replayed ? " (retry of a signed message)" : ""} referral=${result.id} bytes=${bytes} files=${files} ms=${Date.now() - started}`,
  );
  return Response.json(
    {
      id: result.id,
      request_id: result.requestId,
      status: result.status,
      ...(result.outcome === "duplicate" ? { duplicate: true } : {}),
      ...(result.submission > 1 || result.outcome === "amended" ? { amendment: result.submission - 1 } : {}),
    },
    { status, headers: { location: `/referrals/${result.id}`, "cache-control": "no-store" } },
  );
}
