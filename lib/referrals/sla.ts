/**
 * Review SLA: due REVIEW_SLA_HOURS after receipt; the clock stops while information is
 * pending (sla_paused_at) and the due time moves by the paused span on reopen.
 * Only open requests (new, in review) can be overdue.
 */
export type SlaInput = { status: string; slaDueAt: Date | string | null; slaPausedAt: Date | string | null };
export type SlaState =
  | { kind: "due"; remainingMs: number }
  | { kind: "overdue"; overdueMs: number }
  | { kind: "paused"; remainingMs: number }
  | { kind: "none" };

export const SLA_OPEN_STATUSES = ["new", "in_review"] as const;

export function slaState(r: SlaInput, now: Date = new Date()): SlaState {
  if (!r.slaDueAt) return { kind: "none" };
  const due = new Date(r.slaDueAt).getTime();
  if (r.status === "pending_info") {
    const pausedAt = r.slaPausedAt ? new Date(r.slaPausedAt).getTime() : now.getTime();
    return { kind: "paused", remainingMs: due - pausedAt };
  }
  if (!(SLA_OPEN_STATUSES as readonly string[]).includes(r.status)) return { kind: "none" };
  const remaining = due - now.getTime();
  return remaining >= 0 ? { kind: "due", remainingMs: remaining } : { kind: "overdue", overdueMs: -remaining };
}

export type SlaView = { kind: "due" | "soon" | "overdue" | "paused" | "none"; text: string };

/** The words of the SLA column ("Due in 5 h", "Overdue 3 h", "Paused · 6 h left"). */
export function slaView(s: SlaState, fmt: (ms: number) => string): SlaView {
  if (s.kind === "none") return { kind: "none", text: "—" };
  if (s.kind === "overdue") return { kind: "overdue", text: `Overdue ${fmt(s.overdueMs)}` };
  if (s.kind === "paused")
    return {
      kind: "paused",
      text: `Paused · ${s.remainingMs >= 0 ? `${fmt(s.remainingMs)} left` : `over by ${fmt(-s.remainingMs)}`}`,
    };
  return { kind: s.remainingMs < 4 * 3_600_000 ? "soon" : "due", text: `Due in ${fmt(s.remainingMs)}` };
}
