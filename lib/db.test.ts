import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb, getPool } from "./db";

afterAll(async () => {
  await closeDb();
});

describe("the pool's statements", () => {
  it("are prepared once per connection when parameterized, and reused; others are not prepared", async () => {
    const client = await getPool().connect();
    try {
      const text = "select $1::int + 1 as n /* db.test once */";
      expect((await client.query<{ n: number }>(text, [1])).rows[0]!.n).toBe(2);
      expect((await client.query<{ n: number }>({ text, values: [2] })).rows[0]!.n).toBe(3);
      await client.query("select 42 /* db.test unparameterized */");
      const prepared = await client.query(
        "select name, statement from pg_prepared_statements where statement like '%db.test %'",
      );
      expect(prepared.rows).toEqual([{ name: expect.stringMatching(/^auto-\d+$/), statement: text }]);
      // A name given by the caller stays.
      await client.query({ name: "db-test-own-name", text: "select $1::text as t /* db.test own */", values: ["x"] });
      const own = await client.query("select name from pg_prepared_statements where statement like '%db.test own%'");
      expect(own.rows).toEqual([{ name: "db-test-own-name" }]);
    } finally {
      client.release();
    }
  });

  it("whose row type a migration changed fail once, and run again prepared anew", async () => {
    const client = await getPool().connect();
    try {
      await client.query("create temp table db_test_stale (a int not null)");
      await client.query("insert into db_test_stale values (1)");
      const text = "select * from db_test_stale where a = $1 /* db.test stale */";
      expect((await client.query(text, [1])).rows).toEqual([{ a: 1 }]);
      // What a migration run by another process does while this one runs.
      await client.query("alter table db_test_stale alter column a type bigint");
      await expect(client.query(text, [1])).rejects.toMatchObject({ code: "0A000" });
      // int8 comes back as a string from node-postgres: the statement was prepared again.
      expect((await client.query(text, [1])).rows).toEqual([{ a: "1" }]);
    } finally {
      client.release();
    }
  });

  it("through drizzle too, on whichever connection the pool gives", async () => {
    const db = getDb();
    for (let i = 0; i < 5; i++) {
      const r = await db.execute<{ n: number }>(sql`select ${i}::int * 2 as n /* db.test drizzle */`);
      expect(r.rows[0]!.n).toBe(i * 2);
    }
    const client = await getPool().connect();
    try {
      await client.query("select $1::int * 2 as n /* db.test drizzle */", [7]);
      const prepared = await client.query(
        "select count(*)::int as n from pg_prepared_statements where statement like '%db.test drizzle%'",
      );
      expect(prepared.rows[0].n).toBe(1);
    } finally {
      client.release();
    }
  });
});
