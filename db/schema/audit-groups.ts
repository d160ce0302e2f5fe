/**
 * The action groups of the audit trail (the `action` filter of /audit and /api/audit/export).
 * One table, read three ways: the generated column audit_events.action_group (db/schema/audit.ts
 * builds its CASE expression from it, so the group is indexed and every row has one), the
 * filter's labels, and the tests.
 *
 * Groups match by prefix and the first group that matches wins, so actions added later fall in
 * the right group without a change here: `referral.update…`, `referral.cancel…`,
 * `referral.agency_cancel…`, `push.update…` / `push.cancel…`, and any `push.*` whose details say
 * `kind: "update"` or `"cancel"` (a push of an update or a cancel) land in updates or cancels,
 * not in pushes. Plain module: the schema, the server and the filter form all use it.
 */
export const ACTION_GROUPS = [
  {
    key: "cancels",
    label: "Cancels",
    prefixes: ["referral.cancel", "referral.agency_cancel", "push.cancel"],
    pushKinds: ["cancel"],
  },
  {
    key: "updates",
    label: "Updates",
    prefixes: ["referral.update", "referral.agency_update", "approval.update", "push.update"],
    pushKinds: ["update"],
  },
  {
    key: "intake",
    label: "Intake",
    prefixes: ["referral.received", "referral.amended", "referral.agency_"],
    pushKinds: [],
  },
  {
    key: "views",
    label: "Views and downloads",
    prefixes: ["referral.viewed", "referral.file_", "queue.viewed", "audit.", "dashboard.viewed"],
    pushKinds: [],
  },
  {
    key: "claims",
    label: "Claims and assignments",
    prefixes: ["referral.claimed", "referral.assigned", "referral.unassigned"],
    pushKinds: [],
  },
  {
    key: "decisions",
    label: "Decisions",
    prefixes: [
      "referral.rejected",
      "referral.pending_info",
      "referral.reopened",
      "referral.approved",
      "referral.amendment_",
      "approval.",
      "review.",
    ],
    pushKinds: [],
  },
  { key: "pushes", label: "Pushes and their steps", prefixes: ["push."], pushKinds: [] },
  { key: "sign-ins", label: "Sign-ins", prefixes: ["auth."], pushKinds: [] },
  {
    key: "admin",
    label: "Administration",
    prefixes: ["user.", "settings.", "api_client.", "accloud.", "notification."],
    pushKinds: [],
  },
] as const satisfies ReadonlyArray<{
  key: string;
  label: string;
  prefixes: readonly string[];
  pushKinds: readonly string[];
}>;

export type ActionGroup = (typeof ACTION_GROUPS)[number]["key"];
export const ACTION_GROUP_KEYS = ACTION_GROUPS.map((g) => g.key) as [ActionGroup, ...ActionGroup[]];
/** Actions no group names (kept, shown, filterable only without a group). */
export const OTHER_GROUP = "other";

export const groupLabel = (key: string) => ACTION_GROUPS.find((g) => g.key === key)?.label ?? "Other";

/** The group of one action, the way the generated column computes it (for code and tests). */
export function actionGroupOf(action: string, details: Record<string, unknown> = {}): ActionGroup | typeof OTHER_GROUP {
  const kind = typeof details.kind === "string" ? details.kind : null;
  for (const g of ACTION_GROUPS) {
    if (g.prefixes.some((p) => action.startsWith(p))) return g.key;
    if (kind && action.startsWith("push.") && (g.pushKinds as readonly string[]).includes(kind)) return g.key;
  }
  return OTHER_GROUP;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL of the generated column: the same rules as actionGroupOf, over `action` and `details`. */
export function actionGroupSql(): string {
  const whens = ACTION_GROUPS.map((g) => {
    const conds: string[] = g.prefixes.map((p) => `starts_with(action, ${lit(p)})`);
    const kinds = g.pushKinds as readonly string[];
    if (kinds.length)
      conds.push(`(starts_with(action, 'push.') and (details ->> 'kind') in (${kinds.map(lit).join(", ")}))`);
    return `when ${conds.join(" or ")} then ${lit(g.key)}`;
  });
  return `case ${whens.join(" ")} else ${lit(OTHER_GROUP)} end`;
}
