import { getPool } from "../db";

/** ok once the database answers and every migration is applied. */
export async function getHealth(): Promise<{ status: "ok" | "unavailable"; reason?: string }> {
  try {
    const { readdirSync } = await import("node:fs");
    const { migrationsFolder } = await import("../../db/migrate");
    const expected = readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql")).length;
    const res = await getPool().query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    const applied = res.rows[0]?.n ?? 0;
    if (applied < expected) return { status: "unavailable", reason: "migrations pending" };
    return { status: "ok" };
  } catch {
    return { status: "unavailable", reason: "database unreachable" };
  }
}
