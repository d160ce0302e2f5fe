/**
 * What the agency received, as one plain object per revision, and field-level differences between
 * two of them (microdiff), in the same Change shape as the submissions' diff (lib/form/diff.ts), so
 * amendments and revisions read alike.
 */
import diff from "microdiff";
import type { Change } from "../form/diff";
import type { TApproval } from "./schema";
import { FIRST_DAY_LABELS, WEEKDAYS } from "./constants";

export type Names = { serviceCodes: Map<number, string>; funders: Map<number, string> };

export type RevisionSnapshot = {
  client: Record<string, string>;
  service: Record<string, string>;
  dates: { start: string; end: string };
  authorizations: Array<Record<string, string>>;
  caseManager: Record<string, string>;
  comment: string;
  documents: string[];
};

const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/** A snapshot from the approval, the submission it pinned, and the documents ACCloud had by then. */
export function revisionSnapshot(a: TApproval, payload: unknown, names: Names, documents: string[]): RevisionSnapshot {
  const client = ((payload as { client?: Record<string, unknown> } | null)?.client ?? {}) as Record<string, unknown>;
  const keep = [
    "first_name",
    "last_name",
    "birthday",
    "gender",
    "phone_main",
    "email",
    "address",
    "city",
    "state",
    "zip",
    "timezone",
  ];
  return {
    client: Object.fromEntries(
      keep
        .filter((k) => client[k] !== undefined && client[k] !== null && client[k] !== "")
        .map((k) => [k, text(client[k])]),
    ),
    service: {
      code: names.serviceCodes.get(a.serviceCodeId) ?? `#${a.serviceCodeId}`,
      funder: names.funders.get(a.funderId) ?? `#${a.funderId}`,
      careType: a.careType === "psw" ? "PSW" : "Nursing",
    },
    dates: { start: a.startDate, end: a.endDate },
    authorizations: a.authorizations.map((auth) => {
      const rules: Record<string, string> = {};
      if (auth.ruleMode === "daily") {
        if (auth.ruleDaily !== undefined) rules.daily = text(auth.ruleDaily);
      } else {
        for (const d of WEEKDAYS) if (auth.weekdays[d] !== undefined) rules[d] = text(auth.weekdays[d]);
      }
      if (auth.ruleWeekly !== undefined) rules.weekly = text(auth.ruleWeekly);
      if (auth.ruleMonthly !== undefined) rules.monthly = text(auth.ruleMonthly);
      if (auth.rulePeriod !== undefined) rules.period = text(auth.rulePeriod);
      return {
        countedIn: auth.ruleType === "HOURS" ? "hours" : "visits",
        start: a.startDate,
        end: a.endDate,
        ...rules,
        weekStartsOn: FIRST_DAY_LABELS[auth.firstDayOfWeek] ?? text(auth.firstDayOfWeek),
        ...(auth.authorizationNumber ? { authorizationNumber: auth.authorizationNumber } : {}),
        ...(auth.memberNumber ? { memberNumber: auth.memberNumber } : {}),
        ...(auth.programId ? { programId: auth.programId } : {}),
        ...(auth.notes ? { notes: auth.notes } : {}),
      };
    }),
    caseManager: Object.fromEntries(
      Object.entries(a.caseManager)
        .filter(([, v]) => v)
        .map(([k, v]) => [k, text(v)]),
    ),
    comment: a.comment ?? "",
    documents,
  };
}

const WORDS: Record<string, string> = {
  client: "Client",
  service: "Service",
  dates: "Dates",
  authorizations: "Authorization",
  caseManager: "Case manager",
  comment: "Comment for the agency",
  documents: "Documents",
  fields: "Form",
  agency: "Agency",
  files: "Files",
};

const KEY_WORDS: Record<string, string> = {
  start: "start date",
  end: "end date",
  daily: "daily limit",
  weekly: "weekly limit",
  monthly: "monthly limit",
  period: "limit for the period",
  countedIn: "counted in",
  weekStartsOn: "weeks start on",
  authorizationNumber: "authorization number",
  memberNumber: "member number",
  programId: "program id",
  careType: "care type",
  code: "service code",
  phone_main: "phone",
  first_name: "first name",
  last_name: "last name",
  email: "e-mail",
};

function labelOf(path: Array<string | number>): string {
  const parts: string[] = [];
  path.forEach((p, i) => {
    if (typeof p === "number") {
      // "Authorization 1", not "Authorization · #1".
      if (path[i - 1] === "authorizations") parts[parts.length - 1] = `${parts.at(-1)} ${p + 1}`;
      else parts.push(`#${p + 1}`);
    } else if (i === 0) parts.push(WORDS[p] ?? p);
    else if (KEY_WORDS[p]) parts.push(KEY_WORDS[p]);
    else if ((WEEKDAYS as readonly string[]).includes(p)) parts.push(`${p} limit`);
    else
      parts.push(
        p
          .replace(/([A-Z])/g, " $1")
          .replace(/_/g, " ")
          .toLowerCase(),
      );
  });
  return parts.join(" · ");
}

/** Field-level differences, with readable labels ("Authorization 1 · end"). */
export function diffObjects(before: object, after: object): Change[] {
  return diff(before as Record<string, unknown>, after as Record<string, unknown>).map((d) => ({
    label: labelOf(d.path),
    before: d.type === "CREATE" ? null : d.oldValue,
    after: d.type === "REMOVE" ? null : d.value,
    kind: d.type === "CREATE" ? "added" : d.type === "REMOVE" ? "removed" : "changed",
  }));
}
