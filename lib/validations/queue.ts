/**
 * The queue's URL: every filter lives in the query string so a view can be bookmarked or
 * shared. Client-name search does not (a name in a URL ends up in logs and browser history):
 * it travels in an httpOnly cookie (see app/(app)/queue/actions.ts). A request id is not PHI
 * and may be in the URL (`rid`).
 */
import { z } from "zod";

import { defaultSort, fromBase64Url, QUEUE_SORTS, QUEUE_TAB_KEYS, type QueueSort } from "./queue-view";
import { storableText } from "./text";

export {
  AMENDED_TAB,
  defaultSort,
  encodeCursor,
  looksLikeRequestId,
  MIN_NAME_SEARCH,
  QUEUE_PAGE_SIZE,
  QUEUE_SORTS,
  QUEUE_TAB_KEYS,
  QUEUE_TABS,
  queueQuery,
  SEARCH_COOKIE,
  type QueueSort,
  type QueueTab,
} from "./queue-view";

const ymd = z.iso.date();
/**
 * A keyset cursor: the sort key as PostgreSQL's own text (microseconds intact), null for a
 * request without an SLA due time (they come last in due order), and the id.
 */
const cursor = z
  .string()
  .max(200)
  .transform((v, ctx) => {
    try {
      const parsed = z
        .tuple([
          z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/)
            .nullable(),
          z.uuid(),
        ])
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
  service: catching(storableText("the service").trim().min(1).max(100)),
  from: catching(ymd),
  to: catching(ymd),
  assigned: catching(z.enum(["me", "unassigned"])),
  overdue: catching(z.literal("1")),
  /** only requests whose physician's order disagrees with the form (the order check) */
  disagrees: catching(z.literal("1")),
  rid: catching(
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9._:-]+$/),
  ),
  // None (or an unknown one): the tab's own order, filled in by parseQueueParams.
  sort: catching(z.enum(QUEUE_SORTS.map((s) => s.key) as [QueueSort, ...QueueSort[]])),
  after: catching(cursor),
  before: catching(cursor),
});
/** The parsed view: its sort is always set (the tab's default when the URL names none). */
export type TQueueParams = Omit<z.infer<typeof ZQueueParams>, "sort"> & { sort: QueueSort };

export function parseQueueParams(
  searchParams: Record<string, string | string[] | undefined> | URLSearchParams,
): TQueueParams {
  const flat: Record<string, string> = {};
  const entries = searchParams instanceof URLSearchParams ? [...searchParams.entries()] : Object.entries(searchParams);
  for (const [k, v] of entries) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === "string" && value !== "") flat[k] = value;
  }
  const p = ZQueueParams.parse(flat);
  return { ...p, sort: p.sort ?? defaultSort(p.tab) };
}

/** The filter part of parsed params, as strings (for links that keep the view). */
export function filterValues(p: TQueueParams): Record<string, string | undefined> {
  return {
    tab: p.tab,
    agency: p.agency,
    service: p.service,
    from: p.from,
    to: p.to,
    assigned: p.assigned,
    overdue: p.overdue,
    disagrees: p.disagrees,
    rid: p.rid,
    sort: p.sort,
  };
}

export const ZNameSearch = z.object({ q: storableText("the name").trim().max(100, "At most 100 characters.") });
