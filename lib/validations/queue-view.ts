/**
 * The queue's view vocabulary without zod, so client components (search box, tabs) do not
 * ship the validation library; lib/validations/queue.ts parses URLs with these.
 */
export const QUEUE_TABS = [
  { key: "new", label: "New", statuses: ["new"] },
  { key: "in_review", label: "In review", statuses: ["in_review"] },
  { key: "pending_info", label: "Pending info", statuses: ["pending_info"] },
  { key: "approved", label: "Approved / pushing", statuses: ["approved", "pushing"] },
  { key: "sent", label: "Sent / processed", statuses: ["sent", "processed"] },
  { key: "failed", label: "Failed", statuses: ["push_failed"] },
  { key: "rejected", label: "Rejected", statuses: ["rejected"] },
  { key: "cancelled", label: "Cancelled", statuses: ["cancelling", "cancelled"] },
  // Any decided status, flagged: the agency changed its request after the decision.
  {
    key: "amended",
    label: "Amended after decision",
    statuses: ["approved", "pushing", "sent", "processed", "push_failed", "rejected", "cancelling", "cancelled"],
  },
] as const;
export type QueueTab = (typeof QUEUE_TABS)[number]["key"];
/** Tabs defined by a flag rather than by status alone. */
export const AMENDED_TAB: QueueTab = "amended";
export const QUEUE_TAB_KEYS = QUEUE_TABS.map((t) => t.key) as [QueueTab, ...QueueTab[]];

/** The orders a view can take; the URL's `sort` names one by its key (links elsewhere use these keys). */
export const QUEUE_SORTS = [
  { key: "due_asc", label: "SLA due" },
  { key: "received_desc", label: "Newest first" },
  { key: "received_asc", label: "Oldest first" },
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number]["key"];

/** Statuses an SLA runs in (or is paused in), and their tabs: they open in due order, overdue first. */
export const SLA_STATUSES = ["new", "in_review", "pending_info"] as const;
const SLA_TABS: readonly QueueTab[] = SLA_STATUSES;
/**
 * A view's order when its URL names none: by SLA due time where an SLA runs, newest first on
 * the tabs of decided requests (their SLA is over, so due order would read as oldest first).
 */
export const defaultSort = (tab: QueueTab): QueueSort => (SLA_TABS.includes(tab) ? "due_asc" : "received_desc");

export const QUEUE_PAGE_SIZE = 50;
/** Name searches shorter than this would match a large share of a million rows. */
export const MIN_NAME_SEARCH = 2;
export const SEARCH_COOKIE = "csi_queue_q";

/** Cursors are ASCII (a timestamp or null, and a uuid), so btoa/atob serve on both server and client. */
export function fromBase64Url(v: string): string {
  return atob(v.replace(/-/g, "+").replace(/_/g, "/"));
}
/** A keyset cursor: the row's sort key (null: a request without an SLA due time) and its id. */
export const encodeCursor = (key: string | null, id: string) =>
  btoa(JSON.stringify([key, id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** The query string of a view (filters, optional page cursor), without defaults (the sort's is its tab's). */
export function queueQuery(p: Record<string, string | undefined>): string {
  const out = new URLSearchParams();
  const tab = (QUEUE_TAB_KEYS as readonly string[]).includes(p.tab ?? "") ? (p.tab as QueueTab) : "new";
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined || v === "") continue;
    if (k === "tab" && v === "new") continue;
    if (k === "sort" && v === defaultSort(tab)) continue;
    out.set(k, v);
  }
  const s = out.toString();
  return s ? `?${s}` : "";
}

/** A request id is typed as one: hex/uuid-like with a digit, or the exact shape of an id. */
export const looksLikeRequestId = (term: string) => /^[0-9a-f-]{6,}$/i.test(term) && /\d/.test(term);
