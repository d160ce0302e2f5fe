/**
 * The 503 after a database failure is for failures a retry may cure. The audit trail's capped
 * count runs under a 400 ms statement timeout of its own and answers with an estimate when it
 * fires: that 57014 must not make the next 15 s of unexpected errors look like "database down".
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countEvents } from "../audit-trail/query";
import { closeDb, databaseRecentlyUnavailable, getDb } from "../db";
import { answerUnavailableWhenDatabaseDown } from "./unavailable";

let server: Server;
let base: string;

beforeAll(async () => {
  // The launcher's wrapping around a handler whose every answer is an unexpected 500.
  server = createServer((req, res) => {
    answerUnavailableWhenDatabaseDown(req, res);
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("unexpected");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeDb();
});

/** A filter that takes longer than the count's 400 ms: evaluated once, before the first row. */
const slowFilter = sql`(select true from pg_sleep(30))`;

describe("a statement timeout the caller set and caught", () => {
  it("the capped count times out and answers with an estimate; the next page's unexpected error stays a 500", async () => {
    expect(databaseRecentlyUnavailable()).toBe(false);
    const total = await countEvents(getDb(), [slowFilter]);
    expect(total.exact).toBe(false);
    expect(databaseRecentlyUnavailable()).toBe(false);
    const page = await fetch(`${base}/audit`);
    expect(page.status).toBe(500);
    expect(page.headers.get("retry-after")).toBeNull();
    const api = await fetch(`${base}/api/audit/export`);
    expect(api.status).toBe(500);
  });

  it("a statement timeout nobody expected still counts as the database not answering: 503 with Retry-After", async () => {
    // Last in this file: it marks the database unavailable for the next 15 s.
    await expect(
      getDb().transaction(async (tx) => {
        await tx.execute(sql.raw("set local statement_timeout = 50"));
        await tx.execute(sql`select pg_sleep(30)`);
      }),
    ).rejects.toThrow();
    expect(databaseRecentlyUnavailable()).toBe(true);
    const page = await fetch(`${base}/audit`);
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("5");
  });
});
