/**
 * The origin check and the bounded body reader every route handler with a body uses.
 *  - The public origin: APP_URL's, else the Host (the launcher's request URL always says
 *    http://localhost:PORT, so it never counts), else what a trusted proxy forwarded; forwarded
 *    headers count only with TRUSTED_PROXY_HOPS ≥ 1, read from the right like X-Forwarded-For.
 *  - A browser's request from another origin is refused (403), with or without Origin
 *    (Sec-Fetch-Site); a server's request without either goes on (the webhook's sender).
 *  - A body is read as it arrives and never past its limit: the bytes pulled from the stream
 *    are counted, from a stream in memory and from a real HTTP connection sending a chunked
 *    60 MB body to a Node server that hands the request on as Next does.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_MAX_BYTES } from "../approval/after-sending-constants";
import { ApiError } from "../errors";
import { countingStream } from "../../test/support/streams";
import {
  crossSiteRefusal,
  MULTIPART_ENVELOPE_BYTES,
  publicOrigin,
  readBoundedBody,
  readBoundedFormData,
  type ProxyTrust,
} from "./request-guard";

/** A request as Next hands it to a route handler behind the launcher: its URL always http://localhost:PORT. */
const req = (headers: Record<string, string>, init: RequestInit = {}) =>
  new Request("http://localhost:3000/api/referrals/x/documents", { method: "POST", headers, ...init });

const direct: ProxyTrust = { trustedProxyHops: 0 };
const oneProxy: ProxyTrust = { trustedProxyHops: 1 };
const appUrl: ProxyTrust = { appUrl: "https://csi.example.org", trustedProxyHops: 0 };

describe("publicOrigin", () => {
  it("is APP_URL's origin when it is set, whatever the request's headers say", () => {
    const r = req({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example", "x-forwarded-proto": "http" });
    expect(publicOrigin(r, appUrl)).toBe("https://csi.example.org");
    expect(publicOrigin(r, { appUrl: "https://csi.test:8443/some/path", trustedProxyHops: 1 })).toBe(
      "https://csi.test:8443",
    );
  });

  it("without APP_URL: the Host with the connection's protocol, not the request URL's localhost", () => {
    expect(publicOrigin(req({ host: "127.0.0.1:3000" }), direct)).toBe("http://127.0.0.1:3000");
    expect(publicOrigin(req({ host: "review.csi.lan:3000" }), direct)).toBe("http://review.csi.lan:3000");
  });

  it("believes X-Forwarded-Host and -Proto only from TRUSTED_PROXY_HOPS proxies, counted from the right", () => {
    const forwarded = req({
      host: "127.0.0.1:3000",
      "x-forwarded-host": "csi.test:8443",
      "x-forwarded-proto": "https",
    });
    expect(publicOrigin(forwarded, direct)).toBe("http://127.0.0.1:3000");
    expect(publicOrigin(forwarded, oneProxy)).toBe("https://csi.test:8443");
    // A client's own value before what our proxy appended is not believed.
    const appended = req({
      host: "127.0.0.1:3000",
      "x-forwarded-host": "evil.example, csi.test",
      "x-forwarded-proto": "http, https",
    });
    expect(publicOrigin(appended, oneProxy)).toBe("https://csi.test");
    expect(publicOrigin(appended, { trustedProxyHops: 2 })).toBe("http://evil.example");
    // A proxy that forwards only the protocol (and passes the Host on): the Host with it.
    expect(publicOrigin(req({ host: "csi.test", "x-forwarded-proto": "https" }), oneProxy)).toBe("https://csi.test");
    // The default port is no part of an origin.
    expect(publicOrigin(req({ host: "csi.test:443", "x-forwarded-proto": "https" }), oneProxy)).toBe(
      "https://csi.test",
    );
  });

  it("is null for a host no browser could have sent", () => {
    expect(publicOrigin(req({ host: "evil.example/@csi.test" }), direct)).toBeNull();
    expect(publicOrigin(req({ host: "csi.test", "x-forwarded-proto": "gopher" }), oneProxy)).toBeNull();
    expect(publicOrigin(req({ host: "csi.test:99999" }), direct)).toBeNull();
  });
});

describe("crossSiteRefusal", () => {
  const refusedWith = async (err: ApiError | null) => {
    expect(err).toBeInstanceOf(ApiError);
    const res = err!.toResponse();
    expect(res.status).toBe(403);
    expect(res.headers.get("connection")).toBe("close");
    return res.json();
  };

  it("lets a page of the app itself through: at 127.0.0.1 (where comparing with the request URL refused it), behind a proxy, at APP_URL", () => {
    expect(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), direct)).toBeNull();
    expect(crossSiteRefusal(req({ host: "localhost:3000", origin: "http://localhost:3000" }), direct)).toBeNull();
    const viaNginx = {
      host: "csi.test:8443",
      "x-forwarded-host": "csi.test:8443",
      "x-forwarded-proto": "https",
      origin: "https://csi.test:8443",
    };
    expect(crossSiteRefusal(req(viaNginx), oneProxy)).toBeNull();
    expect(crossSiteRefusal(req(viaNginx), { appUrl: "https://csi.test:8443", trustedProxyHops: 1 })).toBeNull();
    // A proxy that passes on neither Host nor X-Forwarded-Host: APP_URL decides.
    expect(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "https://csi.example.org" }), appUrl)).toBeNull();
    expect(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "https://CSI.example.org:443" }), appUrl)).toBeNull();
  });

  it("refuses another site's origin with a 403 naming the header", async () => {
    const body = await refusedWith(
      crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "https://evil.example" }), direct),
    );
    expect(body).toMatchObject({
      error: "forbidden",
      message: "Cross-site request refused",
      issues: [{ path: "headers.origin" }],
    });
    await refusedWith(crossSiteRefusal(req({ host: "csi.example.org", origin: "https://evil.example" }), appUrl));
    // Same host, other scheme or port: another origin.
    await refusedWith(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "http://csi.example.org" }), appUrl));
    await refusedWith(
      crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "https://csi.example.org:8443" }), appUrl),
    );
    // The opaque origin of a sandboxed frame, and nonsense.
    await refusedWith(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "null" }), direct));
    await refusedWith(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "not a url" }), direct));
  });

  it("with APP_URL, the request's own Host is not enough (another name for the same server)", async () => {
    await refusedWith(crossSiteRefusal(req({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), appUrl));
  });

  it("never believes forwarded headers without trusted proxies: a forged X-Forwarded-Host does not make another site ours", async () => {
    const forged = {
      host: "127.0.0.1:3000",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      origin: "https://evil.example",
    };
    await refusedWith(crossSiteRefusal(req(forged), direct));
    // Behind a TLS proxy that is not trusted and no APP_URL, the browser's https origin is not the http one the app sees.
    await refusedWith(
      crossSiteRefusal(
        req({ host: "csi.test:8443", "x-forwarded-proto": "https", origin: "https://csi.test:8443" }),
        direct,
      ),
    );
  });

  it("without Origin: a server's request (the webhook's sender) goes on; a browser's cross-site one (Sec-Fetch-Site) is refused", async () => {
    expect(crossSiteRefusal(req({ host: "127.0.0.1:3000", authorization: "Basic x" }), direct)).toBeNull();
    expect(crossSiteRefusal(req({ host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" }), direct)).toBeNull();
    expect(crossSiteRefusal(req({ host: "127.0.0.1:3000", "sec-fetch-site": "none" }), direct)).toBeNull();
    await refusedWith(crossSiteRefusal(req({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }), direct));
    await refusedWith(crossSiteRefusal(req({ host: "127.0.0.1:3000", "sec-fetch-site": "same-site" }), appUrl));
  });
});

const DOCUMENT_LIMIT = {
  limit: DOCUMENT_MAX_BYTES + MULTIPART_ENVELOPE_BYTES,
  path: "file",
  message: "The file is larger than 50 MB",
};

describe("readBoundedBody", () => {
  it("a chunked 60 MB body: 413 naming the file, after reading no more than the limit and the chunk that crossed it", async () => {
    const { stream, pulled } = countingStream(60_000_000);
    const err = await readBoundedBody(
      req({ "content-type": "multipart/form-data; boundary=x" }, { body: stream, duplex: "half" } as RequestInit),
      DOCUMENT_LIMIT,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const res = (err as ApiError).toResponse();
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toMatchObject({ error: "payload_too_large", issues: [{ path: "file" }] });
    expect(pulled()).toBeGreaterThan(DOCUMENT_LIMIT.limit);
    expect(pulled()).toBeLessThanOrEqual(DOCUMENT_LIMIT.limit + 64 * 1024);
  });

  it("a declared Content-Length over the limit: 413 before a byte is read", async () => {
    const { stream, pulled } = countingStream(1_000_000);
    const r = req({ "content-length": "1000000" }, { body: stream, duplex: "half" } as RequestInit);
    await expect(readBoundedBody(r, { limit: 64 * 1024 })).rejects.toMatchObject({
      code: "payload_too_large",
      issues: [{ path: "body" }],
    });
    expect(pulled()).toBe(0);
  });

  it("a body within the limit comes back whole; exactly at the limit too", async () => {
    const { stream } = countingStream(200_000, 7_000);
    const bytes = await readBoundedBody(req({}, { body: stream, duplex: "half" } as RequestInit), { limit: 200_000 });
    expect(bytes.byteLength).toBe(200_000);
    expect(bytes.every((b) => b === 0x61)).toBe(true);
    expect((await readBoundedBody(req({}), { limit: 10 })).byteLength).toBe(0);
  });

  it("a sender that hangs up halfway is a 400, not a 500", async () => {
    let n = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (n++ === 2) return controller.error(new Error("aborted"));
        controller.enqueue(new Uint8Array(10));
      },
    });
    await expect(
      readBoundedBody(req({}, { body: broken, duplex: "half" } as RequestInit), { limit: 1000 }),
    ).rejects.toMatchObject({
      code: "bad_request",
      issues: [{ path: "body", message: "incomplete" }],
    });
  });

  it("readBoundedFormData: a multipart form within the limit is parsed; a malformed one is a 400", async () => {
    const form = new FormData();
    form.set("version", "3");
    form.set("file", new File([new Uint8Array(100_000).fill(1)], "order.pdf", { type: "application/pdf" }));
    const posted = new Request("http://localhost/x", { method: "POST", body: form });
    const parsed = await readBoundedFormData(posted, DOCUMENT_LIMIT);
    expect(parsed.get("version")).toBe("3");
    expect((parsed.get("file") as File).size).toBe(100_000);
    const bad = req({ "content-type": "multipart/form-data; boundary=zzz" }, { body: "not multipart at all" });
    await expect(readBoundedFormData(bad, DOCUMENT_LIMIT)).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("over a real HTTP connection, as Next hands the request on", () => {
  let server: http.Server;
  let port = 0;
  /** What the server had read from the connection when it decided, and in the end. */
  const seen: { atDecision: number; status: number }[] = [];
  const closed: number[] = [];

  beforeAll(async () => {
    server = http.createServer((incoming, res) => {
      // Next builds the route handler's Request with the IncomingMessage itself as its body.
      const request = new Request(`http://localhost${incoming.url}`, {
        method: incoming.method,
        headers: incoming.headers as Record<string, string>,
        body: incoming as unknown as ReadableStream,
        duplex: "half",
      } as RequestInit);
      const socket = incoming.socket;
      socket.once("close", () => closed.push(socket.bytesRead));
      void readBoundedFormData(request, DOCUMENT_LIMIT)
        .then(() => Response.json({ ok: true }, { status: 201 }))
        .catch((err: unknown) => (err as ApiError).toResponse())
        .then(async (response) => {
          seen.push({ atDecision: socket.bytesRead, status: response.status });
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a chunked 60 MB upload gets 413 and the server reads no more than the limit from the socket", async () => {
    const total = 60_000_000;
    const answer = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      const client = http.request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/referrals/x/documents",
        headers: { "content-type": "multipart/form-data; boundary=----x", "transfer-encoding": "chunked" },
      });
      let written = 0;
      let answered = false;
      const block = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!answered && written < total) {
          written += block.length;
          if (!client.write(block)) return void client.once("drain", pump);
        }
        if (!answered) client.end();
      };
      client.on("response", (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, written }));
      });
      // The server closes the connection after its answer: the upload's rest fails to send.
      client.on("error", (err) => (answered ? undefined : reject(err)));
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: "payload_too_large",
      message: "The file is larger than 50 MB",
      issues: [{ path: "file" }],
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.status).toBe(413);
    // The request head, the limit, and what the socket had taken in when the limit was crossed.
    expect(seen[0]!.atDecision).toBeGreaterThan(DOCUMENT_LIMIT.limit);
    expect(seen[0]!.atDecision).toBeLessThanOrEqual(DOCUMENT_LIMIT.limit + 256 * 1024);
    await expect.poll(() => closed.length).toBe(1);
    // After the answer the connection closes: the rest of the 60 MB is never read.
    expect(closed[0]!).toBeLessThanOrEqual(DOCUMENT_LIMIT.limit + 512 * 1024);
  });
});
