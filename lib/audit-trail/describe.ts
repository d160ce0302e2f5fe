/**
 * Audit events in words: one sentence per event ("Riley Reviewer approved revision 2 for Gem City
 * Home Care: 2 authorizations, reason 'extended'") and its details as labelled values, never a
 * raw JSON column. Plain module (no database): the page, the CSV export and the tests use it.
 * Free text (the keys of lib/audit/free-text.ts: notes, comments, other reasons) appears in a
 * sentence or a detail only when the context allows it (`freeText`: the viewer may read
 * referrals); otherwise its length stands in its place, as it always does in the CSV.
 */
import { STATUS_LABELS } from "../format";
import { FREE_TEXT_KEYS, freeTextPlaceholder } from "../audit/free-text";

export { FREE_TEXT_KEYS } from "../audit/free-text";

export type DescribableEvent = {
  action: string;
  actorType: string;
  actorLabel: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  actionGroup: string;
};

/** What the sentence may name besides the event itself (looked up in bulk by the page). */
export type DescribeContext = {
  /** the actor's display name (users.name), else the label recorded */
  actorName: string;
  /** the agency's name when the event is about a referral request */
  agencyName: string | null;
  /** display names of users the details or entity refer to, by id */
  userNames: ReadonlyMap<string, string>;
  /** whether free text may be shown (the viewer has referral:read); never for the CSV */
  freeText: boolean;
};

export type DetailItem = { label: string; value: string | DetailItem[] };
export type Described = { sentence: string; items: DetailItem[] };

const s = (v: unknown): string =>
  v === null || v === undefined
    ? ""
    : typeof v === "string"
      ? v
      : typeof v === "number" || typeof v === "boolean"
        ? String(v)
        : JSON.stringify(v);
const quoted = (v: unknown) => `‘${s(v)}’`;
const plural = (n: unknown, one: string, many = `${one}s`) => `${s(n)} ${Number(n) === 1 ? one : many}`;
const statusWord = (v: unknown) => STATUS_LABELS[s(v)]?.toLowerCase() ?? s(v);

const LABELS: Record<string, string> = {
  from: "Status before",
  to: "Status after",
  version: "Version after",
  revision: "Revision",
  submission: "Submission",
  pushId: "Push",
  previousPushId: "Previous push",
  attempt: "Attempt",
  retryInSeconds: "Retry in (seconds)",
  authorizations: "Authorizations",
  startDate: "Start date",
  endDate: "End date",
  serviceCodeId: "Service code",
  funderId: "Funder",
  reasonCode: "Reason code",
  reason: "Reason",
  reasons: "Reasons",
  note: "Note",
  comment: "Comment",
  otherReason: "Other reason",
  revisionComment: "Revision comment",
  failure: "Failure",
  accloudStatus: "ACCloud status",
  accloudCode: "ACCloud error code",
  call: "ACCloud call",
  gaveUpAfter: "Gave up after (runs)",
  error: "ACCloud’s message",
  previousError: "Previous ACCloud message",
  assignee: "Assignee",
  previousAssignee: "Previous assignee",
  bulk: "Part of a bulk change",
  requestId: "Request id",
  requestIdDerived: "Request id derived",
  files: "Files",
  fields: "Form fields",
  changed: "Changed parts",
  afterDecision: "After the decision",
  statusAtAmendment: "Status when amended",
  fileId: "File",
  sha256: "SHA-256",
  provider: "Sign-in method",
  session: "Session",
  email: "E-mail",
  role: "Role",
  tab: "Tab",
  filters: "Filters",
  nameSearch: "Name search used",
  percent: "Share (%)",
  verdict: "Verdict",
  overlapMinutes: "Overlap (minutes)",
  key: "Key",
  name: "Name",
  signed: "Signed",
  corrected: "Corrected",
  resumed: "Resumed",
  accloud: "ACCloud ids",
  rows: "Rows",
  event: "Event",
  enabled: "On",
  source: "Source",
  kind: "Kind",
  secondReview: "Second review",
  reviewId: "Second review",
  previous: "Before",
};

const humanKey = (k: string) =>
  LABELS[k] ??
  k
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .replace(/^./, (c) => c.toUpperCase());

function valueOf(k: string, v: unknown, ctx: DescribeContext): string | DetailItem[] {
  if (FREE_TEXT_KEYS.has(k) && v !== null && v !== undefined && !ctx.freeText) return freeTextPlaceholder(v);
  if (v === null || v === undefined) return "—";
  if (k === "from" || k === "to" || k === "statusAtAmendment") return STATUS_LABELS[s(v)] ?? s(v);
  if ((k === "previousAssignee" || k === "assigneeId") && typeof v === "string") return ctx.userNames.get(v) ?? v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v))
    return v.every((x) => x === null || typeof x !== "object")
      ? v.map(s).join(", ") || "—"
      : v.map((x, i) => ({ label: String(i + 1), value: valueOf("", x, ctx) }));
  if (typeof v === "object")
    return Object.entries(v as Record<string, unknown>).map(([kk, vv]) => ({
      label: humanKey(kk),
      value: valueOf(kk, vv, ctx),
    }));
  return s(v);
}

/** The details as labelled values; free text, at any depth, only where the context allows it (else its length). */
export function detailItems(details: Record<string, unknown>, ctx: DescribeContext): DetailItem[] {
  return Object.entries(details)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ label: humanKey(k), value: valueOf(k, v, ctx) }));
}

const FAILURE_WORDS: Record<string, string> = {
  http: "ACCloud answered with an error",
  network: "ACCloud did not answer (network error)",
  timeout: "ACCloud did not answer in time",
  invalid_request: "the request did not meet ACCloud’s contract, so it was not sent",
  invalid_response: "ACCloud’s answer did not match its contract",
  stopped: "the push cannot go on as it is (the request’s push panel says why)",
  no_submission: "the approval does not name the submission it approved",
  job_dead: "its job failed too many times",
  stuck: "it stopped with no job left to finish it",
  unexpected: "an unexpected error",
};

/**
 * A push failure in words, from what its record keeps: the kind, ACCloud's status and error code,
 * the call. Records written before kept ACCloud's message (`error`): free text, shown only where
 * the context allows. Shared with the request's timeline.
 */
export function pushFailureWords(d: Record<string, unknown>, freeText: boolean): string {
  if (typeof d.failure === "string") {
    const code = d.accloudCode !== undefined && d.accloudCode !== null ? `, code ${quoted(d.accloudCode)}` : "";
    const call = d.call ? ` (${s(d.call)})` : "";
    const what = d.accloudStatus
      ? `ACCloud answered ${s(d.accloudStatus)}${code}${call}`
      : `${FAILURE_WORDS[d.failure] ?? d.failure.replace(/_/g, " ")}${call}`;
    return `${what}${d.gaveUpAfter ? `; gave up after ${plural(d.gaveUpAfter, "run")}` : ""}`;
  }
  if (d.error === undefined || d.error === null || d.error === "") return "no reason given";
  return freeText ? s(d.error) : `ACCloud’s message ${freeTextPlaceholder(d.error)}`;
}

/** An update's reasons: the chosen ones, and the reviewer's own words where the context allows. */
function updateReasons(d: Record<string, unknown>, freeText: boolean): string {
  const chosen = Array.isArray(d.reasons) ? d.reasons.map(quoted) : [];
  if (d.otherReason)
    chosen.push(freeText ? quoted(d.otherReason) : `another reason ${freeTextPlaceholder(d.otherReason)}`);
  return chosen.length ? `, reason ${chosen.join(", ")}` : "";
}

/** " filtered by user x, action views" from a filter object of an audit.viewed / audit.exported record. */
function filterWords(f: unknown): string {
  if (!f || typeof f !== "object" || Array.isArray(f)) return "";
  const parts = Object.entries(f as Record<string, unknown>).map(([k, v]) => `${k} ${s(v)}`);
  return parts.length ? ` filtered by ${parts.join(", ")}` : "";
}

const EVENT_WORDS: Record<string, string> = {
  assigned: "a request assigned to them",
  overdue: "a claimed request that becomes overdue",
  push_failed: "a push that failed",
  agency_cancelled: "a request the agency cancelled",
  review_disagreed: "a second review that disagreed",
};

/** The sentence of one event. */
export function describeAuditEvent(e: DescribableEvent, ctx: DescribeContext): Described {
  const d = e.details ?? {};
  const who = ctx.actorName;
  const forAgency = ctx.agencyName ? ` for ${ctx.agencyName}` : "";
  const fromAgency = ctx.agencyName ? ` from ${ctx.agencyName}` : "";
  const req = `the request${fromAgency}`;
  const target = e.entityType === "user" && e.entityId ? (ctx.userNames.get(e.entityId) ?? s(d.email) ?? "a user") : "";
  let sentence: string;
  switch (e.action) {
    case "referral.received":
      sentence = `${who} delivered a new request${fromAgency} (${plural(d.files ?? 0, "file")})`;
      break;
    case "referral.amended":
      sentence = `${who} delivered amendment ${s(d.submission)} of ${req}${d.afterDecision ? " after the decision" : ""}${Array.isArray(d.changed) ? `: ${plural(d.changed.length, "change")}` : ""}`;
      break;
    case "referral.viewed":
      sentence = `${who} opened ${req}`;
      break;
    case "referral.file_viewed":
      sentence = `${who} viewed a file of ${req}`;
      break;
    case "referral.file_downloaded":
      sentence = `${who} downloaded a file of ${req}`;
      break;
    case "queue.viewed":
      sentence = `${who} opened the queue${d.tab ? ` (${s(d.tab).replace(/_/g, " ")} tab)` : ""}`;
      break;
    case "audit.viewed":
      sentence = `${who} opened the audit trail${filterWords(d.filters)}`;
      break;
    case "audit.exported":
      sentence = `${who} exported the audit trail as CSV${filterWords(d.filters)}`;
      break;
    case "dashboard.viewed":
      sentence = `${who} opened the turnaround dashboard`;
      break;
    case "referral.claimed":
      sentence = `${who} claimed ${req}`;
      break;
    case "referral.assigned":
      sentence = `${who} assigned ${req} to ${s(d.assignee) || "a reviewer"}`;
      break;
    case "referral.unassigned":
      sentence = `${who} released ${req}`;
      break;
    case "referral.rejected":
      sentence = `${who} rejected ${req}: reason ${quoted(d.reason || d.reasonCode)}`;
      break;
    case "referral.pending_info":
      sentence = `${who} put ${req} on pending information`;
      break;
    case "referral.reopened":
      sentence = `${who} reopened ${req}`;
      break;
    case "referral.approved": {
      const reasons =
        Array.isArray(d.reasons) && d.reasons.length ? `, reason ${d.reasons.map(quoted).join(", ")}` : "";
      const drawnFor = d.secondReview ? "; drawn for a second review" : "";
      sentence = `${who} approved revision ${s(d.revision)}${forAgency}: ${plural(d.authorizations ?? 0, "authorization")}${reasons}${drawnFor}`;
      break;
    }
    case "referral.amendment_dismissed":
      sentence = `${who} answered the amendment of ${req}: no change needed`;
      break;
    case "approval.draft_saved":
      sentence = `${who} saved a draft approval (revision ${s(d.revision)})${forAgency}`;
      break;
    case "push.started":
      sentence = `${who} ${d.resumed ? "resumed" : "started"} sending revision ${s(d.revision)}${forAgency} to ACCloud (attempt ${s(d.attempt)})`;
      break;
    case "push.retrying":
      sentence = `Sending ${req} to ACCloud did not work (${pushFailureWords(d, ctx.freeText)}); ${who} tries again in ${s(d.retryInSeconds)} s (attempt ${s(d.attempt)})`;
      break;
    case "push.sent":
      sentence = `Revision ${s(d.revision)}${forAgency} reached ACCloud (${who})`;
      break;
    case "push.failed":
      sentence = `Sending ${req} to ACCloud failed: ${pushFailureWords(d, ctx.freeText)}`;
      break;
    case "push.retried":
      sentence = `${who} retried sending ${req}${d.corrected ? ` with corrections (revision ${s(d.revision)})` : ""}`;
      break;
    case "referral.update_requested": {
      const reasons = updateReasons(d, ctx.freeText);
      const auths = Array.isArray(d.authorizations) ? `: ${plural(d.authorizations.length, "authorization")}` : "";
      sentence = `${who} approved update revision ${s(d.revision)}${forAgency}${auths}${reasons}`;
      break;
    }
    case "referral.cancel_requested":
      sentence = `${who} cancelled ${req}: reason ${quoted(d.reason || d.reasonCode)}`;
      break;
    case "referral.cancelled":
      sentence = `${who} cancelled ${req} (ACCloud never received it): reason ${quoted(d.reason || d.reasonCode)}`;
      break;
    case "referral.agency_processed":
      sentence = `The agency processed ${req} (ACCloud revision ${s(d.revision)}; read back by ${who})`;
      break;
    case "referral.agency_cancelled":
      sentence = `The agency cancelled ${req}${d.reasonCode ? `: reason ${quoted(d.reasonCode)}` : ""} (read back by ${who})`;
      break;
    case "referral.document_added":
      sentence = `${who} added a document to ${req}`;
      break;
    case "referral.documents_resent":
      sentence = `${who} sent the latest submission's files of ${req}`;
      break;
    case "referral.sync_requested":
      sentence = `${who} read ${req} back from ACCloud`;
      break;
    case "review.agreed":
      sentence = `${who} agreed with the approval (revision ${s(d.revision)}) of ${req} on second review`;
      break;
    case "review.disagreed":
      sentence = `${who} disagreed with the approval (revision ${s(d.revision)}) of ${req} on second review`;
      break;
    case "review.acknowledged":
      sentence = `${who} read the second-review disagreement on ${req}`;
      break;
    case "review.not_duplicate":
      sentence = `${who} marked ${req} as not the same request as ${s(d.otherRequestId).slice(0, 8) || "another one"}`;
      break;
    case "auth.signed_in":
      sentence = `${who} signed in${d.provider === "oidc" ? " with single sign-on" : d.provider === "credentials" ? " with a password" : ""}`;
      break;
    case "auth.signed_out":
      sentence = `${who} signed out`;
      break;
    case "auth.session_ended":
      sentence = `${who}’s session ended (${s(d.reason).replace(/_/g, " ") || "ended"})`;
      break;
    case "auth.sign_in_failed":
      sentence = `A sign-in as ${target || s(d.email) || who} failed (${s(d.reason).replace(/_/g, " ")})`;
      break;
    case "auth.locked":
      sentence = `${target || who} was locked after too many failed sign-ins`;
      break;
    case "user.created":
      sentence = `${who} added ${s(d.email) || target} as ${s(d.role)}`;
      break;
    case "user.role_changed":
      sentence = `${who} changed ${target || "a user"}’s role from ${s(d.from)} to ${s(d.to)}`;
      break;
    case "user.disabled":
    case "user.enabled":
    case "user.unlocked":
      sentence = `${who} ${e.action.slice(5)} ${target || "a user"}`;
      break;
    case "settings.reason_added":
      sentence = `${who} added the rejection reason ${quoted(d.label)}`;
      break;
    case "settings.reason_enabled":
    case "settings.reason_disabled":
      sentence = `${who} ${e.action.endsWith("enabled") ? "enabled" : "disabled"} the rejection reason ${quoted(e.entityId)}`;
      break;
    case "settings.second_review_percent":
      sentence = `${who} set the share of approvals drawn for a second review to ${s(d.percent)}%`;
      break;
    case "api_client.created":
      sentence = `${who} created the API client ${quoted(d.name)}${d.signed ? " with a signing secret" : ""}`;
      break;
    case "api_client.rotated":
      sentence = `${who} rotated the secret of an API client (the old one works ${s(d.overlapMinutes)} more minutes)`;
      break;
    case "api_client.signing_rotated":
      sentence = `${who} rotated the signing secret of an API client (the old one works ${s(d.overlapMinutes)} more minutes)`;
      break;
    case "api_client.revoked":
      sentence = `${who} revoked an API client`;
      break;
    case "accloud.reference_refreshed":
      sentence = `${who} refreshed ACCloud’s reference data`;
      break;
    case "notification.preference_changed":
      sentence = `${who} turned ${d.enabled ? "on" : "off"} e-mail for ${EVENT_WORDS[s(d.event)] ?? s(d.event)}`;
      break;
    default: {
      // Actions this table does not know yet (their group still comes from their prefix).
      const words = e.action.replace(/^[a-z_]+\./, "").replace(/_/g, " ");
      const change = d.to && d.from && d.to !== d.from ? ` (${statusWord(d.from)} → ${statusWord(d.to)})` : "";
      sentence = `${who}: ${words}${e.entityType === "referral_request" ? ` — ${req}` : ""}${change}`;
    }
  }
  return { sentence, items: detailItems(d, ctx) };
}
