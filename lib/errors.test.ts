/**
 * What a log line says about an error: the names along its cause chain with the SQLSTATE or
 * system code, never a message. drizzle wraps the driver's error (its own message quotes the
 * query's parameters), so the code is on the cause: shown on real errors from the database and
 * from fetch, and on the worker's sweeper line, captured from the real logger.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "./db";
import { resetEnvCache } from "./env";
import { errorBrief, errorCode } from "./errors";
import { sweepRound } from "./worker/worker";
import { redirectLogs } from "./log";

afterAll(async () => {
  await closeDb();
});

const marker = `Zzmarker${randomBytes(5).toString("hex")}`;
const failing = <T>(p: Promise<T>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (err: unknown) => err,
  );

describe("errorBrief and errorCode", () => {
  it("a drizzle-wrapped driver error: the wrapper's and the cause's names and the SQLSTATE, no message", async () => {
    const err = await failing(getDb().execute(sql`select ${marker}::int`));
    // What must not be logged: drizzle's message quotes the parameter, PostgreSQL's the value.
    expect(String((err as Error).message)).toContain(marker);
    expect(String(((err as Error).cause as Error).message)).toContain(marker);
    expect(errorCode(err)).toBe("22P02");
    expect(errorBrief(err)).toBe("DrizzleQueryError < DatabaseError (SQLSTATE 22P02)");
  });

  it("fetch's refused connection: the system code from the cause", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await failing(fetch(`http://127.0.0.1:${port}/${marker}`));
    expect(errorCode(err)).toBe("ECONNREFUSED");
    expect(errorBrief(err)).toMatch(/^TypeError < .*\(ECONNREFUSED\)$/);
    expect(errorBrief(err)).not.toContain(marker);
  });

  it("a code that is a sentence is left out; so is anything thrown that is not an error", () => {
    const e = Object.assign(new Error(`Cannot cancel: client ${marker}`), {
      code: `client ${marker} locked`,
      status: 409,
    });
    expect(errorBrief(e)).toBe("Error (status 409)");
    expect(errorCode(e)).toBeNull();
    expect(errorBrief(marker)).toBe("a thrown string");
    expect(errorBrief(Object.assign(new Error("x"), { code: "EPIPE" }))).toBe("Error (EPIPE)");
  });
});

describe("the worker's sweeper", () => {
  it("logs a failed round with the cause's name and SQLSTATE, and no message text", async () => {
    const lines: string[] = [];
    const schema = process.env.JOB_QUEUE_SCHEMA;
    // A job queue that is not there: PostgreSQL refuses the sweeper's query (42P01, "relation … does not exist").
    process.env.JOB_QUEUE_SCHEMA = `pgboss_missing_${randomBytes(4).toString("hex")}`;
    resetEnvCache();
    redirectLogs({ write: (line: string) => void lines.push(line) }, "debug");
    try {
      await sweepRound(getDb());
    } finally {
      redirectLogs(null);
      if (schema === undefined) delete process.env.JOB_QUEUE_SCHEMA;
      else process.env.JOB_QUEUE_SCHEMA = schema;
      resetEnvCache();
    }
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.startsWith("sweep failed"));
    expect(msgs).toEqual(["sweep failed: DrizzleQueryError < DatabaseError (SQLSTATE 42P01)"]);
    expect(lines.join("\n")).not.toMatch(/does not exist|Failed query|pgboss_missing/);
  });
});
