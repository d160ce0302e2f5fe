/**
 * The draft's history, made and measured for real: referral requests stored by the intake code,
 * approved by the approval code (which records each choice, lib/draft/history/record.ts), then
 * replayed: each approval in time order drafted from the history before it
 * (lib/approval/draft-view.ts with `asOf`) and compared with what was chosen.
 *
 * `generateHistory` simulates reviewers over a year: each insurer goes to its funder (93 %), each
 * service to its code and care type (97 %), a client keeps their case manager (90 %) and an
 * agency gives most clients its usual one; the insurance names are written several ways
 * ("ABC Insurance", "A.B.C. Insurance Inc."). Used by lib/draft/history/*.test.ts and
 * scripts/measure-drafts.ts.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { systemActor, type Actor } from "../../lib/access/actors";
import { BLUEGRASS_SUPPLIER_ID, GEM_CITY_SUPPLIER_ID, MIAMI_VALLEY_SUPPLIER_ID } from "../../lib/accloud/sandbox/seed";
import { approveReferral } from "../../lib/approval/approve";
import { draftApproval } from "../../lib/approval/draft-view";
import type { TApproval, TApprovalInput } from "../../lib/approval/schema";
import type { Db } from "../../lib/db";
import { readReferencePayload } from "../../lib/demo/reference-payload";
import { canonical } from "../../lib/json/canonical";
import type { CaseManager } from "../../lib/draft/types";
import { ingestReferralRequest } from "../../lib/intake/ingest";
import type { TReferralRequest } from "../../lib/intake/schema";
import { isoDay } from "./dates";

export const AGENCIES = [
  { name: "Gem City Home Care", orgId: GEM_CITY_SUPPLIER_ID },
  { name: "Miami Valley Nursing", orgId: MIAMI_VALLEY_SUPPLIER_ID },
  { name: "Bluegrass Home Health", orgId: BLUEGRASS_SUPPLIER_ID },
];

export type NewReferral = {
  agency?: number;
  clientId?: number;
  insurer?: string | null;
  service?: string;
  frequency?: string | null;
  authorizations?: string | null;
  start?: string;
  end?: string;
};

const FIRST = ["Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Barbara", "David", "Susan", "Joseph"];
const LAST = ["Garcia", "Johnson", "Nguyen", "Williams", "Brown", "Okafor", "Miller", "Davis", "Lopez", "Wilson"];

/** A referral request like the reference one, with the given agency, client and form values, stored by the intake code. */
export async function storeReferral(db: Db, r: NewReferral = {}): Promise<{ id: string; payload: TReferralRequest }> {
  const p = readReferencePayload() as TReferralRequest;
  const agency = AGENCIES[r.agency ?? 0]!;
  p.request_id = randomUUID();
  p.agency = { ...p.agency, name: agency.name, alayamarket_org_id: agency.orgId };
  // One person per client id (another id is another person: no look-alike duplicates between them).
  const clientId = r.clientId ?? Math.floor(Math.random() * 1e9);
  const birthday = new Date(Date.UTC(1930 + (clientId % 60), clientId % 12, 1 + (clientId % 28)));
  p.client = {
    ...p.client,
    id: clientId,
    first_name: FIRST[clientId % FIRST.length]!,
    last_name: `${LAST[Math.floor(clientId / FIRST.length) % LAST.length]}-${clientId.toString(36)}`,
    birthday: birthday.toISOString().slice(0, 10),
  };
  p.files = [];
  const values: Record<string, unknown> = {
    "Service start date": r.start ?? isoDay(3),
    "Service end date": r.end ?? isoDay(60),
    "Physician order (PDF)": null,
    "Date of Birth": p.client.birthday,
  };
  if (r.insurer !== undefined) values["Primary insurance name"] = r.insurer;
  if (r.service !== undefined) values["Service Requested"] = { option: { name: r.service, value: r.service } };
  if (r.frequency !== undefined) values["Service frequency"] = r.frequency;
  if (r.authorizations !== undefined) values["Service authorizations"] = r.authorizations;
  p.form_data = {
    ...p.form_data,
    fields: p.form_data.fields.map((f) =>
      f.field_label in values ? { ...f, field_value: values[f.field_label] as never } : f,
    ),
  };
  const stored = await ingestReferralRequest(db, { payload: p, files: [], actor: systemActor("test") });
  return { id: stored.id, payload: p };
}

export type Choice = {
  funderId: number;
  serviceCodeId: number;
  careType: "nursing" | "psw";
  caseManager: CaseManager;
  /** the rules a reviewer sets where the frequency cannot be read */
  rules?: Partial<TApprovalInput["authorizations"][number]>;
};

/** Approves a referral as a reviewer choosing `choice`, the rest as drafted (dates, rules, member number). */
export async function approveWith(db: Db, actor: Actor, id: string, choice: Choice): Promise<TApproval> {
  const drafted = await draftApproval(db, id, { signals: false });
  if (!drafted) throw new Error("no such referral");
  const approval: TApprovalInput = {
    ...drafted.values,
    funderId: choice.funderId,
    serviceCodeId: choice.serviceCodeId,
    careType: choice.careType,
    caseManager: { ...choice.caseManager },
    authorizations: drafted.draft.frequency.readable
      ? drafted.values.authorizations
      : drafted.values.authorizations.map((a) => ({ ...a, ...choice.rules })),
  };
  const r = await approveReferral(db, actor, { referralId: id, version: drafted.row.version, approval });
  if (r.status !== "success") throw new Error(`approval refused: ${JSON.stringify(r)}`);
  return approval as TApproval;
}

// ------------------------------------------------------------------ a simulated year

/** A small seeded generator (mulberry32): the same history for the same seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const weighted = <T>(xs: ReadonlyArray<readonly [T, number]>) => {
    let r = next() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  };
  return { next, pick, weighted };
}

/** Each insurer: how agencies write it, and the funder reviewers choose for it. */
const INSURERS: Array<{ names: string[]; funder: number; weight: number }> = [
  { names: ["Medicare Part A", "MEDICARE PART A", "Medicare Part-A"], funder: 10, weight: 5 },
  { names: ["Ohio Medicaid", "OH Medicaid", "Medicaid of Ohio"], funder: 11, weight: 3 },
  { names: ["Kentucky Medicaid", "Kentucky Medicaid Plan"], funder: 12, weight: 2 },
  { names: ["ABC Insurers", "ABC Insurance", "A.B.C. Insurance Inc."], funder: 9, weight: 2 },
  { names: ["Anthem Blue Cross", "Anthem Blue Cross Blue Shield"], funder: 9, weight: 2 },
  { names: ["Humana Gold Plus", "Humana Gold"], funder: 9, weight: 1 },
  { names: ["CareSource", "Care Source"], funder: 11, weight: 2 },
];
const SERVICES: Array<{ name: string; code: number; care: "nursing" | "psw"; weight: number }> = [
  { name: "PT", code: 50, care: "nursing", weight: 4 },
  { name: "Physical Therapy", code: 50, care: "nursing", weight: 1 },
  { name: "OT", code: 51, care: "nursing", weight: 2 },
  { name: "Skilled Nursing", code: 48, care: "nursing", weight: 3 },
  { name: "Infusion Nursing", code: 49, care: "nursing", weight: 1 },
  { name: "Home Health Aide", code: 52, care: "psw", weight: 2 },
];
const FREQUENCIES: Array<readonly [string | null, number]> = [
  ["Twice a week", 5],
  ["2x/wk", 3],
  ["1w4", 2],
  ["2w2, 1w2", 2],
  ["2x/wk x 4 wks, then 1x/wk x 2 wks", 1],
  ["3x/week M/W/F", 2],
  ["Daily", 2],
  ["4 hrs/day 5 days/wk", 1],
  ["PRN", 1],
  [null, 1],
];
const FUNDERS = [9, 10, 11, 12];
const CODES = [48, 49, 50, 51, 52];

const person = (agency: number, n: number): CaseManager => ({
  name: `${["Dana", "Marcus", "Priya", "Tom", "Ana", "Lee"][n % 6]} ${["Whitfield", "Oyelaran", "Raman", "Byrd"][agency % 4]}-${agency}${n}`,
  phone: `555-01${agency}${n % 10}`,
  email: `cm${agency}${n}@agency${agency}.example`,
});

export type Generated = { count: number; seconds: number };

/**
 * `count` referrals stored and approved in order, as reviewers would over a year: each approval's
 * recorded time is moved to its place in that year (approval_choices.approved_at, the history's
 * clock), so the agency's 90-day window means what it does in use.
 */
export async function generateHistory(
  db: Db,
  actor: Actor,
  opts: { count: number; seed?: number; onProgress?: (done: number) => void },
): Promise<Generated> {
  const rnd = random(opts.seed ?? 22);
  const started = Date.now();
  const yearAgo = Date.now() - 365 * 86_400_000;
  // Each agency's clients (ids), each client's own case manager, and the agency's usual ones.
  const clients = AGENCIES.map((_, a) =>
    Array.from({ length: Math.max(8, Math.round(opts.count / 6)) }, (_, k) => ({
      id: 10_000 * (a + 1) + k,
      caseManager:
        rnd.next() < 0.75
          ? person(
              a,
              rnd.weighted([
                [0, 6],
                [1, 3],
                [2, 1],
              ]),
            )
          : person(a, 10 + k),
    })),
  );
  for (let i = 0; i < opts.count; i++) {
    const agency = rnd.weighted([
      [0, 5],
      [1, 3],
      [2, 2],
    ] as const);
    const client = rnd.pick(clients[agency]!);
    const insurer = rnd.weighted(INSURERS.map((x) => [x, x.weight] as const));
    const service = rnd.weighted(SERVICES.map((x) => [x, x.weight] as const));
    const frequency = rnd.weighted(FREQUENCIES);
    const { id } = await storeReferral(db, {
      agency,
      clientId: client.id,
      insurer: rnd.pick(insurer.names),
      service: service.name,
      frequency,
      authorizations: null,
      start: isoDay(2 + Math.floor(rnd.next() * 20)),
      end: isoDay(40 + Math.floor(rnd.next() * 50)),
    });
    const other = <T>(right: T, all: readonly T[], p: number) =>
      rnd.next() < p ? right : rnd.pick(all.filter((x) => x !== right));
    await approveWith(db, actor, id, {
      funderId: other(insurer.funder, FUNDERS, 0.93),
      serviceCodeId: other(service.code, CODES, 0.97),
      careType: other(service.care, ["nursing", "psw"] as const, 0.97),
      caseManager:
        rnd.next() < 0.9
          ? client.caseManager
          : person(
              agency,
              rnd.weighted([
                [0, 6],
                [1, 3],
                [2, 1],
              ]),
            ),
      rules: { ruleType: "VISITS", ruleMode: "weekdays", ruleWeekly: 2 },
    });
    const at = new Date(yearAgo + ((i + 1) * 365 * 86_400_000) / (opts.count + 1));
    await db.execute(sql`update approval_choices set approved_at = ${at} where referral_request_id = ${id}`);
    opts.onProgress?.(i + 1);
  }
  return { count: opts.count, seconds: (Date.now() - started) / 1000 };
}

// ------------------------------------------------------------------ the replay

/** The suggested fields compared, by the editor's names. */
export const COMPARED = [
  "careType",
  "serviceCodeId",
  "funderId",
  "startDate",
  "endDate",
  "caseManager.name",
  "caseManager.phone",
  "caseManager.fax",
  "caseManager.email",
  "rules",
  "memberNumber",
] as const;
export type Compared = (typeof COMPARED)[number];
/** The fields learned from past approvals (the others are read from the form). */
export const LEARNED: readonly Compared[] = [
  "careType",
  "serviceCodeId",
  "funderId",
  "caseManager.name",
  "caseManager.phone",
  "caseManager.fax",
  "caseManager.email",
];

export type Replay = {
  drafts: number;
  complete: number;
  /** per field: how many drafts suggested a value, and how many of those the reviewer kept */
  fields: Record<Compared, { suggested: number; kept: number }>;
};

const rulesOf = (a: TApprovalInput["authorizations"]) =>
  canonical(a.map((x) => [x.ruleType, x.ruleMode, x.ruleDaily, x.weekdays, x.ruleWeekly, x.ruleMonthly, x.rulePeriod]));

/**
 * Each approval, in the order they were made, drafted from the history before it (`asOf` its own
 * time, its approved submission's form, no order checks or duplicates: those are of today) and
 * compared, field by field, with what the reviewer approved.
 */
export async function replayHistory(db: Db): Promise<Replay> {
  const rows = (
    await db.execute<{ referral_request_id: string; approved_at: Date; data: TApproval; submission_id: string }>(sql`
      select c.referral_request_id, c.approved_at, r.data, r.submission_id
      from approval_choices c join approval_revisions r on r.id = c.approval_revision_id
      order by c.approved_at, c.referral_request_id`)
  ).rows;
  const fields = Object.fromEntries(COMPARED.map((f) => [f, { suggested: 0, kept: 0 }])) as Replay["fields"];
  let complete = 0;
  for (const row of rows) {
    const drafted = await draftApproval(db, row.referral_request_id, {
      asOf: new Date(row.approved_at),
      submissionId: row.submission_id,
      signals: false,
    });
    if (!drafted) continue;
    if (drafted.draft.complete) complete++;
    const s = drafted.sources;
    const v = drafted.values;
    const chosen = row.data;
    const compare = (field: Compared, suggested: boolean, same: boolean) => {
      if (!suggested) return;
      fields[field].suggested++;
      if (same) fields[field].kept++;
    };
    compare("careType", !!s.careType, v.careType === chosen.careType);
    compare("serviceCodeId", !!s.serviceCodeId, Number(v.serviceCodeId) === chosen.serviceCodeId);
    compare("funderId", !!s.funderId, Number(v.funderId) === chosen.funderId);
    compare("startDate", !!s.startDate, v.startDate === chosen.startDate);
    compare("endDate", !!s.endDate, v.endDate === chosen.endDate);
    for (const k of ["name", "phone", "fax", "email"] as const)
      compare(`caseManager.${k}`, !!s[`caseManager.${k}`], (v.caseManager[k] ?? "") === (chosen.caseManager[k] ?? ""));
    compare(
      "rules",
      drafted.draft.frequency.readable,
      rulesOf(v.authorizations) === rulesOf(chosen.authorizations as TApprovalInput["authorizations"]),
    );
    compare(
      "memberNumber",
      !!s["authorizations.0.memberNumber"],
      v.authorizations[0]?.memberNumber === chosen.authorizations[0]?.memberNumber,
    );
  }
  return { drafts: rows.length, complete, fields };
}

/** kept / suggested over some fields. */
export function keptShare(r: Replay, over: readonly Compared[] = COMPARED): number {
  const t = over.reduce((a, f) => ({ s: a.s + r.fields[f].suggested, k: a.k + r.fields[f].kept }), { s: 0, k: 0 });
  return t.s ? t.k / t.s : 0;
}
