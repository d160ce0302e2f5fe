import { getHealth } from "@/lib/runtime/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth();
  const ok = health.status === "ok";
  return Response.json(health, {
    status: ok ? 200 : 503,
    headers: { "cache-control": "no-store", ...(ok ? {} : { "retry-after": "5" }) },
  });
}
