/**
 * The audit trail's URL (the page /audit and GET /api/audit/export take the same parameters, a
 * contract for bookmarks and scripts): user (e-mail), action (a group), referral (id), agency
 * (AlayaMarket org id), from / to (dates, in the display time zone, both inclusive), and the
 * page's keyset cursors before / after (event ids).
 * A malformed filter is an error naming the parameter, never silently dropped: an auditor must
 * not get a wider answer than they asked for.
 */
import { z } from "zod";
import { ACTION_GROUP_KEYS } from "../../db/schema/audit-groups";

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const eventId = z.coerce
  .number()
  .int("Must be an event id")
  .positive("Must be an event id")
  .max(Number.MAX_SAFE_INTEGER);

export const ZAuditFilters = z
  .object({
    user: z
      .email("Enter the user’s e-mail address")
      .max(320)
      .transform((v) => v.toLowerCase())
      .optional(),
    action: z.enum(ACTION_GROUP_KEYS, `Choose one of ${ACTION_GROUP_KEYS.join(", ")}`).optional(),
    referral: z
      .string()
      .trim()
      .regex(uuidLike, "Enter the referral’s id (a UUID)")
      .transform((v) => v.toLowerCase())
      .optional(),
    agency: z
      .string()
      .trim()
      .regex(uuidLike, "Enter the agency’s AlayaMarket org id (a UUID)")
      .transform((v) => v.toLowerCase())
      .optional(),
    from: z.iso.date("Enter a date as YYYY-MM-DD").optional(),
    to: z.iso.date("Enter a date as YYYY-MM-DD").optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    message: "The end date is before the start date",
  });
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

export const ZAuditPage = z.object({ before: eventId.optional(), after: eventId.optional() });

export const AUDIT_FILTER_KEYS = ["user", "action", "referral", "agency", "from", "to"] as const;

export type AuditParse =
  | { ok: true; filters: TAuditFilters; before?: number; after?: number; raw: Record<string, string> }
  | { ok: false; errors: Record<string, string>; raw: Record<string, string> };

/** Parses a query string (or Next's searchParams); empty values count as absent. */
export function parseAuditParams(input: URLSearchParams | Record<string, string | string[] | undefined>): AuditParse {
  const raw: Record<string, string> = {};
  const entries = input instanceof URLSearchParams ? [...input.entries()] : Object.entries(input);
  for (const [k, v] of entries) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === "string" && value.trim() !== "") raw[k] = value.trim();
  }
  const filters = ZAuditFilters.safeParse(
    Object.fromEntries(AUDIT_FILTER_KEYS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]])),
  );
  const page = ZAuditPage.safeParse({ before: raw.before, after: raw.after });
  const errors: Record<string, string> = {};
  for (const issue of [...(filters.error?.issues ?? []), ...(page.error?.issues ?? [])]) {
    const key = String(issue.path[0] ?? "_");
    errors[key] ??= issue.message;
  }
  if (!filters.success || !page.success) return { ok: false, errors, raw };
  return { ok: true, filters: filters.data, before: page.data.before, after: page.data.after, raw };
}

/** The query string of a filter (and optional cursor), without empty values. */
export function auditQuery(
  f: Partial<Record<(typeof AUDIT_FILTER_KEYS)[number] | "before" | "after", string | number | undefined>>,
): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") out.set(k, String(v));
  const q = out.toString();
  return q ? `?${q}` : "";
}
