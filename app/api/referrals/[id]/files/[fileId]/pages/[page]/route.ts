import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { getPageImage } from "@/lib/referrals/order-checks";

export const dynamic = "force-dynamic";

/**
 * One page of a referral file as the order viewer shows it (PNG, drawn once when the file was
 * read; the checks' boxes are in its pixels). Authenticated, scoped and audited like the file
 * itself; never cached.
 */
export async function GET(_request: Request, ctx: { params: Promise<{ id: string; fileId: string; page: string }> }) {
  const actor = await routeActor("referral:read");
  if (actor instanceof Response) return actor;
  const { id, fileId, page } = await ctx.params;
  const n = /^\d{1,4}$/.test(page) ? Number(page) : NaN;
  const image = await getPageImage(getDb(), actor, { referralId: id, fileId, page: n });
  if (!image) return new ApiError("not_found", "No such page").toResponse();
  return new Response(new Uint8Array(image.png), {
    status: 200,
    headers: {
      "content-type": "image/png",
      "content-length": String(image.png.length),
      "cache-control": "private, no-store",
      etag: image.etag,
      "content-security-policy": "default-src 'none'; sandbox; frame-ancestors 'self'",
    },
  });
}
