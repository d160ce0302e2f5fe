/**
 * A database that does not answer makes a request fail within seconds (lib/db.ts bounds the
 * connection, each statement and the wait for an answer). Next answers such a failure with a
 * 500, which tells a client nothing it can act on. While the database has just failed in this
 * process, the launcher's HTTP server turns that 500 into 503 with Retry-After (and no-store):
 * a page gets a short page saying so, an /api/ route a JSON error in the app's shape, and a
 * server action or RSC request keeps Next's body (its client reads it) with the new status.
 * Other 500s are left as they are.
 */
import { ServerResponse, type IncomingMessage } from "node:http";
import { databaseRecentlyUnavailable } from "../db";

export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Temporarily unavailable · CSI Referral Review</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#0f172a"><main><h1 style="font-size:1.5rem">Temporarily unavailable</h1>
<p>The database is not answering. Nothing you saved is lost. Try again in a few seconds.</p><p><a href="">Try again</a></p></main></body></html>`;

const JSON_BODY = JSON.stringify({
  error: "unavailable",
  message: "The database is not answering; retry later",
  issues: [],
});

type WriteHead = ServerResponse["writeHead"];

export function answerUnavailableWhenDatabaseDown(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  const path = (req.url ?? "/").split("?")[0]!;
  const kind = path.startsWith("/api/") ? "api" : req.headers["next-action"] || req.headers.rsc ? "next" : "page";
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status < 500 || !databaseRecentlyUnavailable()) return writeHead(status, ...rest);
    if (status === 503) {
      // Already a 503 of the app's own (the webhook, /api/health): it only needs to say when to come back.
      if (!res.hasHeader("retry-after")) res.setHeader("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return writeHead(status, ...rest);
    }
    // Headers given to writeHead itself (an object or a flat array) are merged into the response's.
    const given = rest.find((r) => r && typeof r === "object") as Record<string, string> | string[] | undefined;
    if (Array.isArray(given)) for (let i = 0; i + 1 < given.length; i += 2) res.setHeader(given[i]!, given[i + 1]!);
    else if (given) for (const [k, v] of Object.entries(given)) res.setHeader(k, v);
    res.setHeader("retry-after", String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    res.setHeader("cache-control", "no-store");
    if (kind === "next") return writeHead(503);
    const body = kind === "api" ? JSON_BODY : PAGE;
    res.setHeader("content-type", kind === "api" ? "application/json" : "text/html; charset=utf-8");
    res.setHeader("content-length", Buffer.byteLength(body));
    res.removeHeader("content-encoding");
    res.removeHeader("transfer-encoding");
    writeHead(503);
    // Our body, sent now; whatever Next (or its compression) still writes is dropped, its
    // callbacks answered (a writer waiting for one, like stream.pipeline, must hear back).
    // (the response's own end, under any wrapper: Next's compression would gzip our body)
    (ServerResponse.prototype.end as (this: ServerResponse, chunk?: string) => ServerResponse).call(
      res,
      req.method === "HEAD" ? undefined : body,
    );
    const done = (...args: unknown[]) => {
      const cb = args.find((a) => typeof a === "function") as (() => void) | undefined;
      if (cb) process.nextTick(cb);
    };
    res.write = ((...args: unknown[]) => (done(...args), true)) as ServerResponse["write"];
    res.end = ((...args: unknown[]) => (done(...args), res)) as ServerResponse["end"];
    return res;
  }) as WriteHead;
}
