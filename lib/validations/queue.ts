/**
 * The queue's URL: every filter lives in the query string so a view can be bookmarked or
 * shared. Client-name search does not (a name in a URL ends up in logs and browser history):
 * it travels in an httpOnly cookie (see app/(app)/queue/actions.ts). A request id is not PHI
 * and may be in the URL (`rid`).
 */
import { z } from "zod";

export const QUEUE_TABS = [
  { key: "new", label: "New", statuses: ["new"] },
  { key: "in_review", label: "In review", statuses: ["in_review"] },
  { key: "pending_info", label: "Pending info", statuses: ["pending_info"] },
  { key: "approved", label: "Approved / pushing", statuses: ["approved", "pushing"] },
  { key: "sent", label: "Sent", statuses: ["sent"] },
  { key: "failed", label: "Failed", statuses: ["push_failed"] },
  { key: "rejected", label: "Rejected", statuses: ["rejected"] },
  { key: "cancelled", label: "Cancelled", statuses: ["cancelled"] },
] as const;
export type QueueTab = (typeof QUEUE_TABS)[number]["key"];
export const QUEUE_TAB_KEYS = QUEUE_TABS.map((t) => t.key) as [QueueTab, ...QueueTab[]];

export const QUEUE_SORTS = [
  { key: "received_desc", label: "Newest first" },
  { key: "received_asc", label: "Oldest first" },
  { key: "due_asc", label: "SLA due soonest" },
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number]["key"];

export const QUEUE_PAGE_SIZE = 50;
/** Name searches shorter than this would match a large share of a million rows. */
export const MIN_NAME_SEARCH = 2;
export const SEARCH_COOKIE = "csi_queue_q";

const ymd = z.iso.date();
/** A keyset cursor: the sort key as PostgreSQL's own text (microseconds intact) and the id. */
const cursor = z
  .string()
  .max(200)
  .transform((v, ctx) => {
    try {
      const parsed = z
        .tuple([z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/), z.uuid()])
        .parse(JSON.parse(fromBase64Url(v)));
      return { key: parsed[0], id: parsed[1] };
    } catch {
      ctx.addIssue({ code: "custom", message: "invalid cursor" });
      return z.NEVER;
    }
  });

const catching = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Unknown or malformed values are dropped rather than failing the page: URLs get hand-edited. */
export const ZQueueParams = z.object({
  tab: z.enum(QUEUE_TAB_KEYS).catch("new"),
  agency: catching(z.string().regex(/^[0-9a-f-]{36}$/i)),
  service: catching(z.string().trim().min(1).max(100)),
  from: catching(ymd),
  to: catching(ymd),
  assigned: catching(z.enum(["me", "unassigned"])),
  overdue: catching(z.literal("1")),
  rid: catching(z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/)),
  sort: z.enum(QUEUE_SORTS.map((s) => s.key) as [QueueSort, ...QueueSort[]]).catch("received_desc"),
  after: catching(cursor),
  before: catching(cursor),
});
export type TQueueParams = z.infer<typeof ZQueueParams>;

export function parseQueueParams(searchParams: Record<string, string | string[] | undefined> | URLSearchParams): TQueueParams {
  const flat: Record<string, string> = {};
  const entries = searchParams instanceof URLSearchParams ? [...searchParams.entries()] : Object.entries(searchParams);
  for (const [k, v] of entries) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === "string" && value !== "") flat[k] = value;
  }
  return ZQueueParams.parse(flat);
}

/** Cursors are ASCII (a timestamp and a uuid), so btoa/atob serve on both server and client. */
function fromBase64Url(v: string): string {
  return atob(v.replace(/-/g, "+").replace(/_/g, "/"));
}
export const encodeCursor = (key: string, id: string) =>
  btoa(JSON.stringify([key, id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The query string of a view (filters, optional page cursor), without defaults. */
export function queueQuery(p: Partial<Record<keyof TQueueParams, string | undefined>>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined || v === "") continue;
    if (k === "tab" && v === "new") continue;
    if (k === "sort" && v === "received_desc") continue;
    out.set(k, v);
  }
  const s = out.toString();
  return s ? `?${s}` : "";
}

/** The filter part of parsed params, as strings (for links that keep the view). */
export function filterValues(p: TQueueParams): Record<string, string | undefined> {
  return { tab: p.tab, agency: p.agency, service: p.service, from: p.from, to: p.to, assigned: p.assigned, overdue: p.overdue, rid: p.rid, sort: p.sort };
}

export const ZNameSearch = z.object({ q: z.string().trim().max(100) });

/** A request id is typed as one: hex/uuid-like with a digit, or the exact shape of an id. */
export const looksLikeRequestId = (term: string) => /^[0-9a-f-]{6,}$/i.test(term) && /\d/.test(term);
