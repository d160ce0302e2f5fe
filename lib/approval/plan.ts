/**
 * What an update of a sent approval does to each authorization in ACCloud. The contract lets a
 * PUT change only the end date, the numbers, the notes and the case manager; a new start date,
 * rule type or any rule value means deleting the authorization and creating it again (§6.2).
 * Pure: the editor shows the plan before saving, and the push carries it out.
 */
import { canonical } from "../json/canonical";
import type { TAuthorizationCreate, TAuthorizationUpdate } from "../accloud/schemas";
import { accloudKeysOf, AUTHORIZATION_FIELDS, type AuthorizationFieldRow } from "./authorization-fields";
import type { TApproval } from "./schema";
import { toAccloudAuthorization } from "./to-accloud";

/**
 * The fields a PUT may change (§6.2): the end date, the table's fields marked `put` and the case
 * manager. Everything else in the body is fixed once created.
 */
export const MUTABLE_AUTHORIZATION_FIELDS: readonly string[] = [
  ...new Set([
    "end_at",
    ...AUTHORIZATION_FIELDS.filter((f: AuthorizationFieldRow) => f.put).flatMap(accloudKeysOf),
    "case_manager_name",
    "case_manager_phone",
    "case_manager_fax",
    "case_manager_email",
  ]),
];

export type AuthorizationAction = "keep" | "update" | "recreate" | "create" | "remove";
export type AuthorizationPlan = {
  index: number;
  action: AuthorizationAction;
  /** ACCloud body fields that differ from what was sent */
  changed: string[];
};

/** Placeholder ids: the plan compares bodies, and both sides of a comparison use the same ids. */
const IDS = { clientId: 1, serviceId: 1 };
const bodyOf = (a: TApproval, i: number) => toAccloudAuthorization(a, i, IDS) as Record<string, unknown>;

function differing(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => canonical(before[k]) !== canonical(after[k]))
    .sort();
}

export function planAuthorizations(sent: TApproval, next: TApproval): AuthorizationPlan[] {
  const plans: AuthorizationPlan[] = [];
  const n = Math.max(sent.authorizations.length, next.authorizations.length);
  for (let i = 0; i < n; i++) {
    if (i >= next.authorizations.length) {
      plans.push({ index: i, action: "remove", changed: [] });
      continue;
    }
    if (i >= sent.authorizations.length) {
      plans.push({ index: i, action: "create", changed: [] });
      continue;
    }
    const changed = differing(bodyOf(sent, i), bodyOf(next, i));
    const action: AuthorizationAction = !changed.length
      ? "keep"
      : changed.every((k) => MUTABLE_AUTHORIZATION_FIELDS.includes(k))
        ? "update"
        : "recreate";
    plans.push({ index: i, action, changed });
  }
  return plans;
}

/**
 * The PUT body: the mutable fields that are set. The published UpdateAuthorization types each as a
 * plain string, never null (a strict tenant answers 400 "may not be null"), so a value this update
 * clears (set in `previous`, the body ACCloud has) is sent as "", as CSI's own example sends
 * `"notes": ""`; a field empty on both sides is left out.
 */
export function authorizationPutBody(next: TAuthorizationCreate, previous: TAuthorizationCreate): TAuthorizationUpdate {
  const now = next as Record<string, unknown>;
  const before = previous as Record<string, unknown>;
  const isSet = (v: unknown): v is string => typeof v === "string" && v !== "";
  const out: Record<string, string> = {};
  for (const k of MUTABLE_AUTHORIZATION_FIELDS) {
    if (isSet(now[k])) out[k] = now[k];
    else if (isSet(before[k]) && k !== "end_at") out[k] = "";
  }
  return out as TAuthorizationUpdate;
}

/** Each ACCloud body field in a reviewer's words: the dates', and the table's fields' (each limit is a "limit"). */
const FIELD_WORDS: Record<string, string> = {
  start_at: "start date",
  end_at: "end date",
  ...Object.fromEntries(
    AUTHORIZATION_FIELDS.flatMap((f: AuthorizationFieldRow) =>
      accloudKeysOf(f).map((k) => [k, f.changeWords ?? f.words]),
    ),
  ),
};

/** "end date, case manager" for a reviewer. */
export function describeChanges(changed: string[]): string {
  const words = new Set(
    changed.map(
      (k) => FIELD_WORDS[k] ?? (k.startsWith("case_manager") ? "case manager" : k.startsWith("rule_") ? "limits" : k),
    ),
  );
  return [...words].join(", ");
}

export const ACTION_WORDS: Record<AuthorizationAction, string> = {
  keep: "stays as it is",
  update: "changed in place",
  recreate: "deleted and created again (ACCloud does not change a start date or limits in place)",
  create: "created",
  remove: "deleted",
};

/**
 * Whether a later revision of a sent approval changes what the second review is about: the dates,
 * or an authorization's limits (hours or visits, any rule_* value), or adds or drops one. Notes,
 * identifiers and the case manager alone do not.
 */
export function changesDatesOrLimits(before: TApproval, after: TApproval): boolean {
  if (before.startDate !== after.startDate || before.endDate !== after.endDate) return true;
  return planAuthorizations(before, after).some(
    (p) => p.action === "create" || p.action === "remove" || p.changed.some((k) => k.startsWith("rule_")),
  );
}
