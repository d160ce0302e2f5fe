import { getPool } from "@/lib/db";

export const dynamic = "force-dynamic";

/**
 * The bare-insert baseline of `npm run bench:intake` (for information): one insert of the body,
 * nothing else. Only in a build made with BENCH_BASELINE=1.
 */
export async function POST(request: Request) {
  const body = await request.text();
  await getPool().query("insert into bench_baseline (body) values ($1)", [body]);
  return Response.json({ ok: true }, { status: 201 });
}
