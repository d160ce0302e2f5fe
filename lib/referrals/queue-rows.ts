/**
 * Queue rows as display strings, computed on the server: the client table renders them as
 * they are (no time zone or ICU differences between server and browser, and a compact payload).
 */
import { hasScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import { STATUS_LABELS, formatCalendarDate, formatDuration, formatShortDateTime } from "../format";
import type { QueueRow } from "./queue";
import { slaState, slaView, type SlaView } from "./sla";

export type QueueRowView = {
  id: string;
  /** the row's version: the live poll replaces a row whose version moved */
  version: number;
  requestId: string;
  client: string;
  agency: string;
  service: string;
  dates: string;
  received: string;
  sla: SlaView;
  assignee: { text: string; strong: boolean };
  action: "claim" | "release" | "unassign" | null;
  amended: boolean;
  amendedAfterDecision: boolean;
  /** requests this one is possibly the same as: their ids and short request ids */
  duplicates: Array<{ id: string; requestId: string }>;
  /** fields the physician's order disagrees with (0: none, or not checked yet) */
  orderMismatches: number;
  /** set when the tab mixes statuses */
  status: { key: string; label: string } | null;
};

const WORKABLE = new Set(["new", "in_review", "pending_info"]);

export function toRowView(r: QueueRow, actor: Actor, now: Date, showStatus: boolean): QueueRowView {
  const live = r.assignee?.active ? r.assignee : null;
  let action: QueueRowView["action"] = null;
  if (WORKABLE.has(r.status)) {
    if (hasScope(actor, "referral:claim")) action = !live ? "claim" : live.id === actor.id ? "release" : null;
    else if (hasScope(actor, "referral:assign") && live) action = "unassign";
  }
  return {
    id: r.id,
    version: r.version,
    requestId: r.requestId,
    client: r.clientName,
    agency: r.agencyName,
    service: r.service ?? "—",
    dates: `${r.serviceStart ? formatCalendarDate(r.serviceStart) : "?"} – ${r.serviceEnd ? formatCalendarDate(r.serviceEnd) : "?"}`,
    received: `${formatShortDateTime(r.receivedAt)} · ${formatDuration(now.getTime() - new Date(r.receivedAt).getTime())} ago`,
    sla: slaView(slaState(r, now), formatDuration),
    assignee: !r.assignee
      ? { text: "Unassigned", strong: false }
      : !live
        ? { text: `Unassigned (claim by ${r.assignee.name} lapsed)`, strong: false }
        : { text: live.id === actor.id ? "You" : live.name, strong: true },
    action,
    amended: r.amended,
    amendedAfterDecision: r.amendedAfterDecision,
    duplicates: r.duplicates.map((d) => ({ id: d.id, requestId: d.requestId.slice(0, 8) })),
    orderMismatches: r.orderMismatches,
    status: showStatus ? { key: r.status, label: STATUS_LABELS[r.status] ?? r.status } : null,
  };
}

/** What of a row may change while it is on screen: the live poll's answer, which names no client (nor agency, service or dates). */
export const ROW_PATCH_KEYS = [
  "id",
  "version",
  "received",
  "sla",
  "assignee",
  "action",
  "amended",
  "amendedAfterDecision",
  "status",
] as const;
export type QueueRowPatch = Pick<QueueRowView, (typeof ROW_PATCH_KEYS)[number]>;

/** A row's changing parts only (the screen keeps the rest from the page's own render). */
export function toRowPatch(r: QueueRow, actor: Actor, now: Date): QueueRowPatch {
  const view = toRowView(r, actor, now, true);
  return Object.fromEntries(ROW_PATCH_KEYS.map((k) => [k, view[k]])) as QueueRowPatch;
}
