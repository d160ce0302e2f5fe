/**
 * What the agency received, as one plain object per revision, and field-level differences between
 * two of them (microdiff), in the same Change shape as the submissions' diff (lib/form/diff.ts), so
 * amendments and revisions read alike.
 */
import diff from "microdiff";
import type { Change } from "../form/diff";
import type { TApproval } from "./schema";
import {
  AUTHORIZATION_FIELDS,
  FIRST_DAY_LABELS,
  inRuleMode,
  WEEKDAYS,
  type AuthorizationFieldRow,
  type AuthorizationValues,
} from "./authorization-fields";

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
    authorizations: a.authorizations.map((auth) => authorizationSnapshot(auth, a.startDate, a.endDate)),
    caseManager: Object.fromEntries(
      Object.entries(a.caseManager)
        .filter(([, v]) => v)
        .map(([k, v]) => [k, text(v)]),
    ),
    comment: a.comment ?? "",
    documents,
  };
}

/** One field of an authorization as the agency reads it: what it counts, each limit set, the week's first day, each text set. */
function snapshotPart(f: AuthorizationFieldRow, value: unknown): Array<[string, string]> {
  if (value === undefined) return [];
  switch (f.kind) {
    case "rule-type":
      return [[f.key, value === "HOURS" ? "hours" : "visits"]];
    case "rule-mode":
      return [];
    case "first-day":
      return [[f.key, FIRST_DAY_LABELS[value as number] ?? text(value)]];
    case "weekdays":
      return WEEKDAYS.filter((d) => (value as Record<string, unknown>)[d] !== undefined).map((d) => [
        d,
        text((value as Record<string, unknown>)[d]),
      ]);
    case "text":
      return value ? [[f.key, text(value)]] : [];
    default:
      return [[f.key, text(value)]];
  }
}

/** An authorization's fields in the table's order, the dates right after what it counts. */
function authorizationSnapshot(auth: AuthorizationValues, start: string, end: string): Record<string, string> {
  const values = auth as Record<string, unknown>;
  return Object.fromEntries(
    AUTHORIZATION_FIELDS.filter((f) => inRuleMode(f, auth.ruleMode)).flatMap((f: AuthorizationFieldRow) => [
      ...snapshotPart(f, values[f.key]),
      ...(f.kind === "rule-type"
        ? ([
            ["start", start],
            ["end", end],
          ] as Array<[string, string]>)
        : []),
    ]),
  );
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
  ...Object.fromEntries(AUTHORIZATION_FIELDS.map((f) => [f.key, f.words])),
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
