import { cookies } from "next/headers";
import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { countNewSince, getTabCounts, listQueueRowsByIds } from "@/lib/referrals/queue";
import { toRowPatch } from "@/lib/referrals/queue-rows";
import { parseQueueParams, SEARCH_COOKIE } from "@/lib/validations/queue";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SINCE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/**
 * The queue's live poll: tab counts, how many requests of the current view arrived since the
 * page was rendered, and the changing parts of the rows on screen (status, version, assignee,
 * SLA: no client, agency, service or dates; the screen has those from the page's render). Rows
 * are answered only where the view could list them. Polling is not user activity: it never
 * extends an idle session.
 *
 * Not audited: it returns no PHI, and a poll every 15 s per open queue would bury the trail. The
 * page render that showed the names is audited (queue.viewed).
 */
export async function GET(request: Request) {
  const actor = await routeActor("referral:read", { touch: false });
  if (actor instanceof Response) return actor;
  const url = new URL(request.url);
  const since = url.searchParams.get("since") ?? "";
  if (!SINCE.test(since))
    return new ApiError("bad_request", "since must be the snapshot time of the page", [
      { path: "since", message: "invalid" },
    ]).toResponse();
  const params = parseQueueParams(url.searchParams);
  const nameSearch = (await cookies()).get(SEARCH_COOKIE)?.value ?? null;
  const db = getDb();
  // The rows on the reviewer's screen, as they are now: claims, decisions and sends by others show up in place.
  const ids = (url.searchParams.get("rows") ?? "")
    .split(",")
    .filter((x) => UUID.test(x))
    .slice(0, 60);
  const [newCount, counts, rows] = await Promise.all([
    countNewSince(db, actor, params, nameSearch, since),
    getTabCounts(db, actor, params),
    listQueueRowsByIds(db, actor, ids, { params, nameSearch, since }),
  ]);
  const now = new Date();
  return Response.json(
    { newCount, counts, rows: rows.map((r) => toRowPatch(r, actor, now)) },
    { headers: { "cache-control": "no-store" } },
  );
}
