import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { getReferralFile } from "@/lib/referrals/detail";

export const dynamic = "force-dynamic";

/** Types a browser shows itself; anything else is only downloaded. */
const INLINE_TYPES = new Set(["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"]);

/**
 * A referral file, inline (?download absent) or as a download. Authenticated, scoped, and
 * audited (who viewed which file); never cached; non-PDF content is sandboxed by CSP.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string; fileId: string }> }) {
  const actor = await routeActor("referral:read");
  if (actor instanceof Response) return actor;
  const { id, fileId } = await ctx.params;
  const wantsDownload = new URL(request.url).searchParams.has("download");
  const file = await getReferralFile(getDb(), actor, {
    referralId: id,
    fileId,
    disposition: wantsDownload ? "attachment" : "inline",
  });
  if (!file) return new ApiError("not_found", "No such file").toResponse();
  const inline = !wantsDownload && INLINE_TYPES.has(file.contentType);
  const headers: Record<string, string> = {
    "content-type": inline
      ? file.contentType === "text/plain"
        ? "text/plain; charset=utf-8"
        : file.contentType
      : "application/octet-stream",
    "content-length": String(file.data.length),
    "content-disposition": `${inline ? "inline" : "attachment"}; filename="${file.safeName}"`,
    "cache-control": "private, no-store",
    etag: `"${file.sha256}"`,
  };
  // Chrome's PDF viewer does not run in a CSP sandbox; images and text do. Framed only by this
  // app's own pages (the preview).
  headers["content-security-policy"] =
    file.contentType === "application/pdf"
      ? "frame-ancestors 'self'"
      : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'";
  return new Response(new Uint8Array(file.data), { status: 200, headers });
}
