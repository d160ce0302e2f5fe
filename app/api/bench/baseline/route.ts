import { getPool } from "@/lib/db";

export const dynamic = "force-dynamic";

/**
 * Baseline for `npm run bench:intake`: one bare insert of the body, nothing else.
 * Exists only when BENCH_BASELINE=1 (the bench sets it); otherwise 404.
 */
export async function POST(request: Request) {
  if (process.env.BENCH_BASELINE !== "1") return new Response(null, { status: 404 });
  const body = await request.text();
  await getPool().query("insert into bench_baseline (body) values ($1)", [body]);
  return Response.json({ ok: true }, { status: 201 });
}
