/**
 * A local stand-in for the ACCloud tenant (CSI HQ branch + Marketplace outbox): a real HTTP server
 * on the same paths, Basic auth, JSON and multipart, with its state in PostgreSQL, so the
 * client's real code path runs against it. See reference/accloud-contract.md §11.
 */
import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { makeCtx, type RouteDef } from "./context";
import { errorBrief } from "../../errors";
import { FaultRegistry, type Fault } from "./faults";
import {
  checkBasicAuth,
  drain,
  errorReply,
  ReplyError,
  safeEqual,
  send,
  sleep,
  type ApiFamily,
  type Reply,
} from "./http";
import { authorizationRoutes } from "./routes-authorizations";
import { controlRoutes, type CallRecord, type SandboxRuntime } from "./routes-control";
import { extRoutes } from "./routes-ext";
import { marketRoutes } from "./routes-market";
import { resolveRules, type SandboxRules } from "./rules";
import { createSandboxPool, prepareSchema } from "./store";

export type { SandboxRules } from "./rules";
export { DEFAULT_SANDBOX_RULES } from "./rules";

export type StartSandboxOptions = {
  databaseUrl: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  apiKey: string;
  apiSecret: string;
  /** Required in the x-sandbox-key header of /__sandbox/* calls. */
  controlKey: string;
  /** PostgreSQL schema holding the sandbox state; default accloud_sandbox. */
  schema?: string;
  log?: (m: string) => void;
  options?: Partial<SandboxRules>;
  /** Clock for date rules ("start_at no more than 1 year in the past"); default real time. */
  now?: () => Date;
};

export type RunningSandbox = { url: string; close(): Promise<void> };

type CompiledRoute = RouteDef & { regex: RegExp; keys: string[] };

const MAX_CALLS = 2000;

function compile(routes: RouteDef[]): CompiledRoute[] {
  return routes.map((r) => {
    const keys: string[] = [];
    const pattern = r.template.replace(/[.+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    return { ...r, regex: new RegExp(`^${pattern}/?$`), keys };
  });
}

function familyFor(path: string): ApiFamily {
  if (path.startsWith("/__sandbox")) return "control";
  if (path.startsWith("/ext/api/v2/scheduler/authorizations")) return "auth";
  if (path.startsWith("/api/v1/alayamarket")) return "market";
  return "ext";
}

const UNAUTHORIZED: Record<ApiFamily, string> = {
  ext: "Authorization required.",
  auth: "Please verify your access level for this url.",
  market: "Authorization required.",
  control: "missing or wrong x-sandbox-key",
};

export async function startSandbox(opts: StartSandboxOptions): Promise<RunningSandbox> {
  const schema = opts.schema ?? "accloud_sandbox";
  const log = opts.log ?? (() => {});
  const now = opts.now ?? (() => new Date());
  const rt: SandboxRuntime = {
    faults: new FaultRegistry(),
    rules: resolveRules(opts.options),
    startRules: opts.options ?? {},
    calls: [],
  };

  await prepareSchema(opts.databaseUrl, schema);
  const pool = createSandboxPool(opts.databaseUrl, schema);
  pool.on("error", (err) => log(`accloud-sandbox: idle database connection error (${err.message})`));

  const routes = compile([...extRoutes, ...authorizationRoutes, ...marketRoutes, ...controlRoutes(rt)]);
  const hanging = new Set<ServerResponse>();
  const inflight = new Set<Promise<void>>();

  function match(
    method: string,
    path: string,
  ): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const route of routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      try {
        route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1] ?? "")));
      } catch {
        return null;
      }
      return { route, params };
    }
    return allowed.length ? { allowed } : null;
  }

  function record(call: CallRecord, started: number): void {
    log(
      `accloud-sandbox ${call.method} ${call.route ?? "(no route)"} ${call.status ?? "-"} ${Math.round(performance.now() - started)}ms${call.fault ? ` fault=${call.fault}` : ""}`,
    );
    if (call.path.startsWith("/__sandbox")) return;
    rt.calls.push(call);
    if (rt.calls.length > MAX_CALLS) rt.calls.splice(0, rt.calls.length - MAX_CALLS);
  }

  /** Holds the request open without answering until the caller gives up (or the sandbox closes). */
  function hang(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (res.destroyed || req.socket.destroyed) return Promise.resolve();
    req.resume();
    hanging.add(res);
    return new Promise((resolve) => {
      res.on("close", () => {
        hanging.delete(res);
        resolve();
      });
    });
  }

  function faultReply(family: ApiFamily, status: number, fault: Fault): Reply {
    const reply = errorReply(
      family,
      status,
      status === 429 ? "Too many requests." : (STATUS_CODES[status] ?? "Error"),
      rt.rules,
    );
    if ("body" in fault && fault.body !== undefined) reply.body = fault.body;
    if ("retryAfter" in fault && fault.retryAfter !== undefined)
      reply.headers = { ...reply.headers, "retry-after": String(fault.retryAfter) };
    return reply;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const path = url.pathname;
    const found = match(method, path);
    const routed = found && "route" in found ? found : null;
    const family = routed?.route.family ?? familyFor(path);
    const call: CallRecord = {
      at: new Date().toISOString(),
      method,
      path,
      route: routed?.route.template ?? null,
      status: null,
      fault: null,
    };
    const answer = async (reply: Reply) => {
      await drain(req);
      send(res, reply);
      call.status = reply.status;
      record(call, started);
    };

    if (family === "control") {
      const open = path === "/__sandbox/health";
      const key = req.headers["x-sandbox-key"];
      if (!open && (typeof key !== "string" || !safeEqual(key, opts.controlKey))) {
        return answer(errorReply("control", 401, UNAUTHORIZED.control, rt.rules));
      }
    } else {
      if (rt.faults.latencyMs > 0) await sleep(rt.faults.latencyMs);
      const fault = rt.faults.take(method, path);
      if (fault) {
        call.fault = fault.kind;
        if (fault.kind === "status") return answer(faultReply(family, fault.status, fault));
        if (fault.kind === "reset") {
          req.socket.destroy();
          record(call, started);
          return;
        }
        if (fault.kind === "timeout") {
          await hang(req, res);
          record(call, started);
          return;
        }
        if (fault.kind === "delay") await sleep(fault.delayMs);
      }
      if (!checkBasicAuth(req.headers.authorization, opts.apiKey, opts.apiSecret)) {
        return answer(errorReply(family, 401, UNAUTHORIZED[family], rt.rules));
      }
      const reply = await run();
      if (fault?.kind === "apply_then_fail") {
        // The work is committed; only the answer is lost.
        const then = fault.then ?? "status";
        if (then === "reset") {
          req.socket.destroy();
          record(call, started);
          return;
        }
        if (then === "timeout") {
          await hang(req, res);
          record(call, started);
          return;
        }
        return answer(faultReply(family, fault.status ?? 500, fault));
      }
      return answer(reply);
    }
    return answer(await run());

    async function run(): Promise<Reply> {
      if (!found)
        return errorReply(family, 404, family === "ext" || family === "auth" ? "Not found." : "Not Found", rt.rules);
      if (!routed)
        return {
          ...errorReply(family, 405, "Method not allowed.", rt.rules),
          headers: { allow: (found as { allowed: string[] }).allowed.join(", ") },
        };
      const ctx = makeCtx({
        req,
        method,
        path,
        params: routed.params,
        query: url.searchParams,
        pool,
        rules: rt.rules,
        family,
        now,
      });
      try {
        return await routed.route.handler(ctx);
      } catch (err) {
        if (err instanceof ReplyError) return err.reply;
        // Only the error classes and codes: database messages can echo request values.
        log(`accloud-sandbox ${method} ${routed.route.template} failed: ${errorBrief(err)}`);
        return errorReply(family, 500, "Internal server error.", rt.rules);
      }
    }
  }

  const server = http.createServer((req, res) => {
    const p = handle(req, res)
      .catch((err: unknown) => {
        log(`accloud-sandbox: request failed (${errorBrief(err)})`);
        if (!res.headersSent && !res.destroyed)
          send(res, { status: 500, body: { code: 500, message: "Internal server error." } });
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = !opts.host || opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  log(`accloud-sandbox listening on ${url} (schema ${schema})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const res of hanging) res.socket?.destroy();
        server.closeAllConnections();
        // In-flight handlers finish their database work; a bound keeps a stuck one from blocking shutdown.
        await Promise.race([Promise.allSettled([...inflight]), sleep(5_000)]);
        await closed;
        await pool.end();
      })();
      return closing;
    },
  };
}
