import pg from "pg";
import { expect, it } from "vitest";

it("fails on purpose after reading from the database the global setup made", async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query("select 1 as ok");
  await client.end();
  expect(rows).toEqual([{ ok: 2 }]);
});
