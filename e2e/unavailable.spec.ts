/**
 * A database that stops answering: every route and page answers 503 with Retry-After within
 * seconds, never hangs and never answers 500, and all is well again once it answers. A second
 * app (the same build, started by the launcher) reaches this run's PostgreSQL through a TCP
 * proxy of the test's own, which the test then freezes: connections stay open, nothing comes
 * back, as with a hung host or a stuck network.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { request as playwrightRequest, type APIResponse } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signInOverHttp } from "./support/auth";
import { findNewestReferralWithFile } from "./support/db";
import { readRunFile } from "./support/run-data";

/** Forwards TCP to PostgreSQL until frozen: then every byte either way is held, and new connections hang. */
function freezableProxy(targetPort: number) {
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    if (frozen) {
      client.pause();
      upstream.pause();
    }
  });
  return {
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
      ),
    freeze: () => {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    thaw: () => {
      frozen = false;
      for (const s of sockets) s.resume();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

test.describe("[UNAVAILABLE] the database stops answering", () => {
  test.setTimeout(240_000);
  let app: ChildProcess | undefined;
  let appOutput = () => "";
  let proxy: ReturnType<typeof freezableProxy> | undefined;
  test.afterAll(async () => {
    if (process.env.DEBUG_UNAVAILABLE) console.log(appOutput());
    app?.kill("SIGTERM");
    await proxy?.close();
  });

  test("every page and route answers 503 with Retry-After within seconds, and recovers", async () => {
    const secrets = readRunFile("secrets.json");
    proxy = freezableProxy(readRunFile("owner.json").port);
    const via = await proxy.listen();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let out = "";
    app = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: `postgres://csi_app:${encodeURIComponent(secrets.DATABASE_APP_PASSWORD)}@127.0.0.1:${via}/app`,
        DATABASE_OWNER_URL: `postgres://postgres:postgres@127.0.0.1:${via}/app`,
        AUTH_SECRET: secrets.AUTH_SECRET,
        APP_SECRET: secrets.APP_SECRET,
        ACCLOUD_URL: readRunFile("sandbox.json").url,
        APP_URL: base,
        WORKER_ENABLED: "false",
        SEED_DEMO_DATA: "false",
        DATABASE_CONNECT_TIMEOUT_MS: "2000",
        DATABASE_STATEMENT_TIMEOUT_MS: "2000",
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    appOutput = () => out;
    app.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    app.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const api = await playwrightRequest.newContext({ baseURL: base });
    await expect
      .poll(async () => (await api.get("/api/health").catch(() => null))?.status() ?? 0, {
        timeout: 120_000,
        message: out,
      })
      .toBe(200);

    // Signed in and looking at a referral while the database still answers.
    await signInOverHttp(api, "supervisor");
    const ref = await findNewestReferralWithFile();
    expect((await api.get(`/referrals/${ref.id}`)).status()).toBe(200);

    proxy.freeze();
    const since = encodeURIComponent("2026-01-01 00:00:00+00");
    const routes: Array<{ name: string; go: () => Promise<APIResponse> }> = [
      { name: "page /queue", go: () => api.get("/queue", { maxRedirects: 0 }) },
      { name: "page /referrals/[id]", go: () => api.get(`/referrals/${ref.id}`, { maxRedirects: 0 }) },
      { name: "page /audit", go: () => api.get("/audit", { maxRedirects: 0 }) },
      { name: "page /sign-in", go: () => api.get("/sign-in", { maxRedirects: 0 }) },
      { name: "GET /api/health", go: () => api.get("/api/health") },
      { name: "GET /api/queue/updates", go: () => api.get(`/api/queue/updates?since=${since}`) },
      {
        name: "GET /api/referrals/[id]/files/[fileId]",
        go: () => api.get(`/api/referrals/${ref.id}/files/${ref.fileId}`),
      },
      { name: "POST /api/session/activity", go: () => api.post("/api/session/activity") },
      {
        name: "POST /api/referral-requests",
        go: () =>
          api.post("/api/referral-requests", {
            headers: { authorization: `Basic ${Buffer.from("ak_unknown:secret").toString("base64")}` },
            data: { request_id: "x" },
          }),
      },
    ];
    for (const route of routes) {
      const started = Date.now();
      const res = await route.go();
      const seconds = (Date.now() - started) / 1000;
      expect(res.status(), `${route.name}: ${await res.text()}`).toBe(503);
      expect(res.headers()["retry-after"], route.name).toMatch(/^\d+$/);
      expect(seconds, route.name).toBeLessThan(10);
    }
    // A page says so in words; an API route in the app's JSON error shape.
    expect(await (await api.get("/queue", { maxRedirects: 0 })).text()).toContain("Temporarily unavailable");
    expect(await (await api.get(`/api/queue/updates?since=${since}`)).json()).toMatchObject({ error: "unavailable" });

    proxy.thaw();
    await expect.poll(async () => (await api.get("/api/health")).status(), { timeout: 60_000 }).toBe(200);
    await expect.poll(async () => (await api.get(`/referrals/${ref.id}`)).status(), { timeout: 30_000 }).toBe(200);
    await api.dispose();
  });
});
