import type { IncomingMessage, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { SandboxRules } from "./rules";

/** Which API a route belongs to: each has its own error body (contract §1.2). */
export type ApiFamily = "ext" | "auth" | "market" | "control";

export type Reply = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: { contentType: string; data: Buffer };
};

/** Thrown by handlers for an early answer; the dispatcher sends it. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`sandbox reply ${reply.status}`);
  }
}

export function errorReply(
  family: ApiFamily,
  status: number,
  message: string,
  rules: SandboxRules,
  code?: string | number,
): Reply {
  switch (family) {
    case "ext":
      return { status, body: { code: code ?? status, message } };
    case "auth":
      return { status, body: { code: String(code ?? status), message } };
    case "market":
      if (rules.alayamarketErrorBody === "message") return { status, body: { message } };
      return {
        status,
        body: { type: "about:blank", title: STATUS_CODES[status] ?? "Error", status, detail: message },
        headers: { "content-type": "application/problem+json" },
      };
    case "control":
      return { status, body: { error: message } };
  }
}

/** Throws an early error answer in the family's shape. */
export function fail(
  family: ApiFamily,
  rules: SandboxRules,
  status: number,
  message: string,
  code?: string | number,
): never {
  throw new ReplyError(errorReply(family, status, message, rules, code));
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let data: Buffer | undefined;
  if (reply.raw) {
    data = reply.raw.data;
    headers["content-type"] ??= reply.raw.contentType;
  } else if (reply.body !== undefined && reply.status !== 204) {
    data = Buffer.from(JSON.stringify(reply.body));
    headers["content-type"] ??= "application/json";
  }
  if (data) headers["content-length"] = String(data.length);
  res.writeHead(reply.status, headers);
  res.end(data);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw new Error("body too large");
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Drains what the caller is still sending, so an early answer reaches it instead of a reset. */
export async function drain(req: IncomingMessage): Promise<void> {
  // A caller that already gave up (destroyed socket) emits nothing more.
  if (req.readableEnded || req.destroyed || req.socket.destroyed) return;
  await new Promise<void>((resolve) => {
    req.on("end", resolve);
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.resume();
  });
}

export function checkBasicAuth(header: string | undefined, apiKey: string, apiSecret: string): boolean {
  if (!header?.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  return safeEqual(decoded, `${apiKey}:${apiSecret}`);
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Shared with the authorization rules, which must also run in the browser. */
export { isIsoDate, isIsoDateTimeWithOffset } from "../../authorization-rules";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isPositiveInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
