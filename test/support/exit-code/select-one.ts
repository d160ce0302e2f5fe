import pg from "pg";

/** `select 1` on the database the global setup made: the fixtures run with the real harness. */
export async function selectOne(): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query("select 1 as ok");
  await client.end();
  return rows;
}
