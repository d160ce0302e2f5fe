/**
 * The constants of the after-sending forms, without zod: the browser reads them on the referral
 * page's first load, while the schemas in `after-sending.ts` (and zod) load only when a form validates.
 */

/** The seven cancel reason codes ACCloud takes (§7.3), in words a reviewer reads. */
export const CANCEL_REASONS = [
  { code: "datetime_change", label: "The dates or times changed" },
  { code: "client_request", label: "The client asked to cancel" },
  { code: "client_hospitalization", label: "The client is in hospital" },
  { code: "client_passed_away", label: "The client passed away" },
  { code: "client_refused_service", label: "The client refused the service" },
  { code: "processing_error", label: "Sent in error" },
  { code: "other", label: "Other (say why in the comment)" },
] as const;
export type CancelReasonCode = (typeof CANCEL_REASONS)[number]["code"];
export const CANCEL_REASON_LABELS = Object.fromEntries(CANCEL_REASONS.map((r) => [r.code, r.label])) as Record<
  CancelReasonCode,
  string
>;

/** 50 MB, decimal: ACCloud's stricter reading of its limit (§12.2). */
export const DOCUMENT_MAX_BYTES = 50_000_000;
