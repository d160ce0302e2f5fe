/**
 * More than one process on one PostgreSQL server, as production runs them (README, "Running in
 * production"): two app processes (the launcher, `npm start`, each on a port of its own,
 * WORKER_ENABLED=false) and two push workers (`npm run worker`), all started at once on one new,
 * empty database of the server: migrations as the owner (DATABASE_OWNER_URL), the app as a role
 * of its own (DATABASE_URL), demo data asked for (SEED_DEMO_DATA=true). One ACCloud sandbox
 * stands in for ACCloud for both workers.
 *
 * Runs in its own Vitest project ("cluster", vitest.config.ts), after every other test file, on
 * the production build: `npm test` builds before Vitest; run alone, this file builds when the
 * build is missing or older than the sources.
 *
 * The processes are the Procfile's `web` and `worker`, `node --import tsx` (one process, so a
 * signal reaches our code; see lib/runtime/launcher.test.ts), with only what an operator sets.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded";
import { startTestSandbox, TEST_API_KEY, TEST_API_SECRET, type TestSandbox } from "../../test/support/sandbox";
import { createApiClient, revokeApiClient } from "../intake/api-clients";
import { systemActor } from "../access/actors";
import type { Db } from "../db";
import { DEMO_USERS } from "../demo/seed";
import { EARLIER_DECISIONS } from "../demo/earlier-decisions";
import { approvalFor, dayFromToday } from "../../test/support/push";
import { referencePayload } from "../../test/support/fixtures";
import { distDir, ensureBuild } from "../../test/support/build";
import { watchOutput, type ChildOutput } from "../../test/support/child-output";
import { createTestDatabase, dropTestDatabase } from "../../test/support/database";
import { createUser } from "../auth/users";

const root = process.cwd();

type Proc = ChildOutput & {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
};

/** A process type's command in the Procfile (`web`, `worker`): the test runs exactly what it says. */
function procfileArgs(type: string): string[] {
  const line = readFileSync(path.join(root, "Procfile"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${type}:`));
  if (!line) throw new Error(`the Procfile has no "${type}" process type`);
  const [command, ...args] = line
    .slice(type.length + 1)
    .trim()
    .split(/\s+/);
  if (command !== "node") throw new Error(`the Procfile's "${type}" should start node, not ${command}`);
  return args;
}

function startProcess(name: string, type: "web" | "worker", env: Record<string, string>): Proc {
  // Only what an operator would set: the test runner's own variables (NODE_ENV=test, its secrets,
  // its job-queue timings) stay out.
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.tmpdir(),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (process.env.NEXT_DIST_DIR) base.NEXT_DIST_DIR = process.env.NEXT_DIST_DIR;
  const child = spawn(process.execPath, procfileArgs(type), {
    cwd: root,
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, child, exited, ...watchOutput(child, exited, name) };
}

/** SIGTERM, as a process manager stops a process; SIGKILL after 20 s. Returns the exit code. */
async function stopProcess(p: Proc): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill("SIGTERM");
    const killed = setTimeout(() => p.child.kill("SIGKILL"), 20_000);
    await p.exited;
    clearTimeout(killed);
  }
  return p.child.exitCode;
}

/** Runs `fn` over `items`, `n` at a time. */
async function inParallel<T>(items: T[], n: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
    }),
  );
}

const suffix = randomBytes(4).toString("hex");
const database = `cluster_${suffix}`;
const appRole = `csi_app_c${suffix}`;
const appPassword = randomBytes(18).toString("base64url");
const demoPassword = `demo-${randomBytes(6).toString("base64url")}`;
const adminUrl = process.env.DATABASE_URL!;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "csi-cluster-"));

let ownerUrl = "";
let sbx: TestSandbox;
let pool: pg.Pool;
let db: Db;
let apps: Array<Proc & { url: string }> = [];
let workers: Proc[] = [];
let dropped = false;

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query<T>(text, values)).rows;
}

/** The `n` of a `select count(*)::int as n …`. */
async function count(text: string, values: unknown[] = []): Promise<number> {
  return (await query<{ n: number }>(text, values))[0]!.n;
}

beforeAll(async () => {
  await ensureBuild("cluster");

  // A new database of the server, owned by the test's role (the owner), and a role of the app's own.
  ownerUrl = (await createTestDatabase(adminUrl, database)).url;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin
    .query(`create role ${appRole} login nosuperuser nocreatedb nocreaterole password '${appPassword}'`)
    .finally(() => admin.end());
  const app = new URL(ownerUrl);
  app.username = appRole;
  app.password = appPassword;
  const appUrl = app.toString();

  // ACCloud lives elsewhere: the sandbox keeps its state in the test project's database.
  sbx = await startTestSandbox();

  const common = {
    DATABASE_URL: appUrl,
    DATABASE_OWNER_URL: ownerUrl,
    AUTH_SECRET: process.env.AUTH_SECRET!,
    APP_SECRET: process.env.APP_SECRET!,
    ACCLOUD_URL: sbx.url,
    ACCLOUD_API_KEY: TEST_API_KEY,
    ACCLOUD_API_SECRET: TEST_API_SECRET,
    DATA_DIR: dataDir,
    // Sized as README's "Connections" says: 4 processes × (10 + 4) stay well under a default
    // server's 100 connections (CI's Debian cluster), beside the test's own.
    DATABASE_POOL_MAX: "10",
  };
  const ports = [await freePort(0), await freePort(0)];
  // All four at once on the empty database: migrations and demo seeding meet their advisory locks.
  apps = ports.map((port, i) =>
    Object.assign(
      startProcess(`app ${i + 1}`, "web", {
        ...common,
        HOST: "127.0.0.1",
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        WORKER_ENABLED: "false",
        SEED_DEMO_DATA: "true",
        DEMO_PASSWORD: demoPassword,
        LOG_LEVEL: "warn",
      }),
      { url: `http://127.0.0.1:${port}` },
    ),
  );
  // info: each worker logs the pushes it runs (ids only).
  workers = [1, 2].map((i) =>
    startProcess(`worker ${i}`, "worker", { ...common, APP_URL: `http://127.0.0.1:${ports[0]}`, LOG_LEVEL: "info" }),
  );
  const starting = Date.now();
  await Promise.all([
    ...apps.map((a) => a.printed("CSI Referral Review is running at")),
    ...workers.map((w) => w.printed("Push worker running")),
  ]);
  console.log(`[cluster] 2 apps and 2 workers started in ${Date.now() - starting} ms`);

  pool = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  db = drizzle(pool) as unknown as Db;
}, 600_000);

afterAll(async () => {
  await Promise.all([...apps, ...workers].map((p) => stopProcess(p)));
  await pool?.end();
  await sbx?.close();
  if (!dropped) {
    dropped = true;
    await dropTestDatabase(adminUrl, database).catch(() => {});
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop role if exists ${appRole}`).finally(() => admin.end());
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe("two app processes and two workers on one PostgreSQL server", () => {
  it("started at once on an empty database: migrated once, one set of demo data, both healthy", async () => {
    for (const a of apps) {
      const res = await fetch(`${a.url}/api/health`);
      expect(res.status, a.output()).toBe(200);
    }
    const seeders = apps.filter((a) => a.output().includes("Seeding demo data"));
    expect(seeders.map((a) => a.name)).toHaveLength(1);
    expect((await query<{ email: string }>("select email from users order by email")).map((u) => u.email)).toEqual(
      DEMO_USERS.map((u) => u.email).sort(),
    );
    // 29 generated and the reference one, and the earlier decisions the open ones are drafted from.
    expect(await count("select count(*)::int as n from referral_requests")).toBe(30 + EARLIER_DECISIONS);
    expect(await count("select count(*)::int as n from api_clients")).toBe(1);
    const migrations = readdirSync(path.join(root, "db/migrations")).filter((f) => f.endsWith(".sql")).length;
    expect(await count("select count(*)::int as n from drizzle.__drizzle_migrations")).toBe(migrations);
    // The app's own role, not the owner, serves the requests.
    expect(
      await count("select count(*)::int as n from pg_stat_activity where usename = $1 and datname = $2", [
        appRole,
        database,
      ]),
    ).toBeGreaterThan(0);
    // It can neither lift the audit trail's protection nor create anything (the owner made the job queue).
    for (const p of [...apps, ...workers]) expect(p.output(), p.name).not.toContain("warning: the app's database role");
    expect(
      (
        await query<{ owner: string }>(
          "select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'pgboss'",
        )
      )[0]!.owner,
    ).toBe(new URL(ownerUrl).username);
  });

  const service = (i: number) => ["PT", "OT", "Skilled Nursing"][i % 3]!;
  const requests = Array.from({ length: 500 }, (_, i) => ({
    i,
    requestId: randomUUID() as string,
    app: i % 2,
    duplicate: i % 5 === 0,
  }));
  let credentials: { id: string; key: string; secret: string };
  let authorization = "";

  function payload(r: (typeof requests)[number]) {
    const base = referencePayload();
    const values: Record<string, unknown> = {
      "Service Requested": { option: { name: service(r.i), value: service(r.i) } },
      "Service start date": dayFromToday(3),
      "Service end date": dayFromToday(60),
    };
    return {
      ...base,
      request_id: r.requestId,
      client: { ...base.client, id: 700_000 + r.i },
      form_data: {
        ...base.form_data,
        fields: base.form_data.fields.map((f) =>
          f.field_label in values ? { ...f, field_value: values[f.field_label] as never } : f,
        ),
      },
    };
  }

  const deliver = async (appIndex: number, body: string) => {
    const res = await fetch(`${apps[appIndex]!.url}/api/referral-requests`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });
    const text = await res.text();
    return { app: appIndex, status: res.status, body: text };
  };

  it(
    "500 deliveries over both apps, a fifth of them sent to both at once: each stored once, no 5xx",
    { timeout: 240_000 },
    async () => {
      credentials = await createApiClient(db, { name: "AlayaConnector cluster test", actor: systemActor("test") });
      authorization = `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`).toString("base64")}`;

      const answers: Array<{ i: number; app: number; status: number; body: string }> = [];
      const started = Date.now();
      await inParallel(requests, 12, async (r) => {
        const body = JSON.stringify(payload(r));
        const sent = r.duplicate
          ? await Promise.all([deliver(0, body), deliver(1, body)])
          : [await deliver(r.app, body)];
        for (const a of sent) answers.push({ i: r.i, ...a });
      });
      console.log(`[cluster] ${answers.length} deliveries in ${Date.now() - started} ms`);

      const failed = answers.filter((a) => a.status >= 500);
      expect(failed.map((a) => `app ${a.app + 1}: ${a.status} ${a.body.slice(0, 200)}`)).toEqual([]);
      for (const r of requests) {
        const mine = answers.filter((a) => a.i === r.i);
        // The same content twice: stored by one (201), the same answer's id from the other (200).
        expect(mine.map((a) => a.status).sort(), JSON.stringify(mine)).toEqual(r.duplicate ? [200, 201] : [201]);
        expect(new Set(mine.map((a) => (JSON.parse(a.body) as { id: string }).id)).size).toBe(1);
      }
      // Both apps stored some.
      expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.app))).toEqual(new Set([0, 1]));

      const ids = requests.map((r) => r.requestId);
      const [stored] = await query<{ n: number; distinct: number; services_right: number }>(
        `select count(*)::int as n, count(distinct request_id)::int as distinct,
              count(*) filter (where service_requested = ($2::text[])[array_position($1::text[], request_id)])::int as services_right
         from referral_requests where request_id = any($1::text[])`,
        [ids, requests.map((r) => service(r.i))],
      );
      expect(stored).toEqual({ n: 500, distinct: 500, services_right: 500 });
      const [children] = await query<{ submissions: number; files: number; received: number }>(
        `select (select count(*)::int from referral_submissions s where s.referral_request_id in (select id from referral_requests where request_id = any($1::text[]))) as submissions,
              (select count(*)::int from referral_files f where f.referral_request_id in (select id from referral_requests where request_id = any($1::text[]))) as files,
              (select count(*)::int from audit_events e where e.action = 'referral.received' and e.entity_id in (select id::text from referral_requests where request_id = any($1::text[]))) as received`,
        [ids],
      );
      expect(children).toEqual({ submissions: 500, files: 500, received: 500 });
    },
  );

  it(
    "100 approvals through both apps' server action: each pushed to ACCloud exactly once, by both workers",
    { timeout: 240_000 },
    async () => {
      // A reviewer signs in on app 1; the session (a row of the database) is then used on both.
      const email = `reviewer-${suffix}@cluster.test`;
      const password = `pw-${randomBytes(9).toString("base64url")}`;
      await createUser(db, { email, name: "Cluster Reviewer", role: "reviewer", password, actor: systemActor("test") });
      const csrf = await fetch(`${apps[0]!.url}/api/auth/csrf`);
      const csrfCookie = csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const signIn = await fetch(`${apps[0]!.url}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
        body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/queue" }),
      });
      expect(signIn.headers.get("location")).toMatch(/\/queue$/);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .find((c) => c.startsWith("authjs.session-token="));
      expect(cookie).toBeDefined();

      // The demo's earlier decisions are pushed by these workers too: what ACCloud holds once they are sent.
      const demoDeadline = Date.now() + 120_000;
      while (
        (await count("select count(*)::int as n from pushes where status in ('queued','running','retrying')")) > 0
      ) {
        if (Date.now() > demoDeadline) throw new Error("the demo's pushes did not finish");
        await new Promise((res) => setTimeout(res, 500));
      }
      const before = (await sbx.control.state()).counts;

      // The approve button's server action, as the browser calls it.
      const manifest = JSON.parse(
        readFileSync(path.join(distDir, "server/server-reference-manifest.json"), "utf8"),
      ) as {
        node: Record<string, { filename: string; exportedName: string }>;
      };
      const actionId = Object.entries(manifest.node).find(
        ([, a]) =>
          a.filename === "app/(app)/referrals/[id]/approval-actions.ts" && a.exportedName === "approveReferralAction",
      )?.[0];
      expect(actionId).toBeDefined();

      const chosen = requests.filter((r) => r.i % 5 === 1);
      expect(chosen).toHaveLength(100);
      const rows = await query<{ id: string; request_id: string; version: number }>(
        "select id, request_id, version from referral_requests where request_id = any($1::text[])",
        [chosen.map((r) => r.requestId)],
      );
      const byRequest = new Map(rows.map((r) => [r.request_id, r]));
      const base = referencePayload();
      const outcomes: Array<{ app: number; status: number; result: string }> = [];
      const started = Date.now();
      await inParallel(chosen, 6, async (r, k) => {
        const row = byRequest.get(r.requestId)!;
        const app = apps[k % 2]!;
        const res = await fetch(`${app.url}/referrals/${row.id}`, {
          method: "POST",
          headers: {
            "next-action": actionId!,
            accept: "text/x-component",
            "content-type": "text/plain;charset=UTF-8",
            origin: app.url,
            cookie: cookie!,
          },
          body: JSON.stringify([
            { referralId: row.id, version: row.version, approval: approvalFor({ payload: base }) },
          ]),
        });
        const text = await res.text();
        // The action's answer is the flight payload's row 1 ({ status, message, … }).
        const result = /^1:(\{.*\})$/m.exec(text)?.[1] ?? text.slice(0, 300);
        outcomes.push({ app: k % 2, status: res.status, result });
      });
      expect(outcomes.filter((o) => o.status !== 200 || !o.result.includes('"status":"success"'))).toEqual([]);
      console.log(`[cluster] 100 approvals in ${Date.now() - started} ms`);

      const referralIds = rows.map((r) => r.id);
      const deadline = Date.now() + 150_000;
      for (;;) {
        const counts = await query<{ status: string; n: number }>(
          "select status, count(*)::int as n from pushes where referral_request_id = any($1::uuid[]) group by status",
          [referralIds],
        );
        expect(counts.filter((c) => c.status === "failed")).toEqual([]);
        const sent = counts.find((c) => c.status === "sent")?.n ?? 0;
        if (sent === 100) break;
        if (Date.now() > deadline) throw new Error(`only ${sent} of 100 pushes sent: ${JSON.stringify(counts)}`);
        await new Promise((res) => setTimeout(res, 500));
      }
      console.log(`[cluster] 100 pushes sent ${Date.now() - started} ms after the first approval`);
      expect(
        await count("select count(*)::int as n from pushes where referral_request_id = any($1::uuid[])", [referralIds]),
      ).toBe(100);
      expect(
        await count(
          "select count(*)::int as n from audit_events where action = 'push.sent' and entity_id = any($1::text[])",
          [referralIds],
        ),
      ).toBe(100);

      // ACCloud got one client, service, authorization, referral and attachment per approval.
      const state = await sbx.control.state();
      const chosenIds = new Set(chosen.map((r) => r.requestId));
      const services = state.services.filter((s) => s.external_id && chosenIds.has(s.external_id));
      expect(services).toHaveLength(100);
      const clientIds = new Set(services.map((s) => s.client_id));
      expect(clientIds.size).toBe(100);
      expect(state.clients.filter((c) => clientIds.has(c.id))).toHaveLength(100);
      expect(state.authorizations.filter((a) => clientIds.has(a.client_id))).toHaveLength(100);
      const serviceIds = new Set(services.map((s) => s.id));
      const referrals = state.referrals.filter((r) => serviceIds.has(r.service_id));
      expect(referrals).toHaveLength(100);
      const groups = new Set(referrals.map((r) => r.revision_group_id));
      expect(state.attachments.filter((a) => groups.has(a.revision_group_id))).toHaveLength(100);
      const kinds = ["clients", "services", "authorizations", "referrals", "attachments"] as const;
      expect(Object.fromEntries(kinds.map((k) => [k, state.counts[k] - before[k]]))).toEqual(
        Object.fromEntries(kinds.map((k) => [k, 100])),
      );
      // Nothing was sent twice and refused as a duplicate.
      expect((await sbx.control.calls()).filter((c) => c.status === 409)).toEqual([]);

      // Both workers took pushes (each logs the pushes it runs, by id).
      const pushIdsOf = (w: Proc) =>
        new Set([...w.output().matchAll(/push=([0-9a-f-]{36}) kind=approve step=\w+ done/g)].map((m) => m[1]));
      // (The demo's earlier decisions were pushed by them too: only these 100 pushes are counted.)
      const ours = new Set(
        (
          await query<{ id: string }>("select id::text from pushes where referral_request_id = any($1::uuid[])", [
            referralIds,
          ])
        ).map((p) => p.id),
      );
      const perWorker = workers.map((w) => new Set([...pushIdsOf(w)].filter((id) => ours.has(id!))));
      expect(perWorker.map((s) => s.size > 0)).toEqual([true, true]);
      expect(new Set([...perWorker[0]!, ...perWorker[1]!]).size).toBe(100);
    },
  );

  it(
    "a revoked API client is refused by both apps within the 5 s they may remember it",
    { timeout: 60_000 },
    async () => {
      // Valid credentials, a body that fails validation: 422 while accepted, 401 once refused; nothing is stored.
      const probe = async (appIndex: number) => {
        const sentAt = Date.now();
        const res = await fetch(`${apps[appIndex]!.url}/api/referral-requests`, {
          method: "POST",
          headers: { authorization, "content-type": "application/json" },
          body: "{}",
        });
        await res.arrayBuffer();
        return { sentAt, answeredAt: Date.now(), status: res.status };
      };
      // Both apps remember the credentials now.
      expect([(await probe(0)).status, (await probe(1)).status]).toEqual([422, 422]);
      await revokeApiClient(db, { id: credentials.id, actor: systemActor("test") });
      const revokedAt = Date.now();
      const DOCUMENTED_MS = 5_000;
      const DEADLINE_MS = 6_500;
      const probes = await Promise.all(
        [0, 1].map(async (appIndex) => {
          const seen: Array<Awaited<ReturnType<typeof probe>>> = [];
          while (Date.now() < revokedAt + DEADLINE_MS) {
            seen.push(await probe(appIndex));
            await new Promise((res) => setTimeout(res, 100));
          }
          return seen;
        }),
      );
      for (const seen of probes) {
        expect(seen.every((p) => p.status === 401 || p.status === 422)).toBe(true);
        // Refused by the deadline, and from the documented time on, every time.
        expect(seen.some((p) => p.status === 401 && p.answeredAt <= revokedAt + DEADLINE_MS)).toBe(true);
        const late = seen.filter((p) => p.sentAt > revokedAt + DOCUMENTED_MS);
        expect(late.length).toBeGreaterThan(0);
        expect(late.map((p) => p.status).filter((s) => s !== 401)).toEqual([]);
      }
    },
  );

  it("SIGTERM, as a process manager sends it, stops each process cleanly", { timeout: 60_000 }, async () => {
    const codes = await Promise.all([...apps, ...workers].map(async (p) => [p.name, await stopProcess(p)]));
    expect(codes).toEqual([...apps, ...workers].map((p) => [p.name, 0]));
  });
});
