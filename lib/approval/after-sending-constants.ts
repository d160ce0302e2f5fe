/**
 * The constants of the after-sending forms, without zod: the browser reads them on the referral
 * page's first load, while the schemas in `after-sending.ts` (and zod) load only when a form validates.
 */
import type { CANCEL_REASON_CODES } from "../accloud/schemas-common";

/** ACCloud's seven cancel reason codes (§7.3, `CANCEL_REASON_CODES`), in words a reviewer reads. */
export const CANCEL_REASON_LABELS: Readonly<Record<CancelReasonCode, string>> = {
  datetime_change: "The dates or times changed",
  client_request: "The client asked to cancel",
  client_hospitalization: "The client is in hospital",
  client_passed_away: "The client passed away",
  client_refused_service: "The client refused the service",
  processing_error: "Sent in error",
  other: "Other (say why in the comment)",
};
export type CancelReasonCode = (typeof CANCEL_REASON_CODES)[number];
/** The reasons in ACCloud's order, as the cancel form lists them. */
export const CANCEL_REASONS = Object.entries(CANCEL_REASON_LABELS).map(([code, label]) => ({
  code: code as CancelReasonCode,
  label,
}));

/** 50 MB, decimal: ACCloud's stricter reading of its limit (§12.2). */
export const DOCUMENT_MAX_BYTES = 50_000_000;
