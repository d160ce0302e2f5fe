/**
 * The demo's earlier decisions: referrals the demo reviewer approved before the open ones arrived,
 * delivered through the real webhook and approved through the real approval code, so a newcomer's
 * first demo referral already opens drafted in full, each value explained ("chosen in 2 of 3
 * approvals for ‘CareSource’", "this client's case manager on an earlier referral"). Their dates end
 * before the open referrals' begin, so none is a duplicate of an open one. Needs ACCloud's
 * reference data (the approval checks the funder, code and agency against it): without it the
 * demo has no earlier decisions, and says so.
 */
import { eq } from "drizzle-orm";
import { referralRequests, users } from "../../db/schema";
import type { Actor } from "../access/actors";
import { getReferenceData } from "../accloud/reference-data";
import { approveReferral } from "../approval/approve";
import { editorValues } from "../approval/prefill";
import { buildDraft } from "../draft/draft";
import { EMPTY_HISTORY, type CaseManager } from "../draft/types";
import type { Db } from "../db";
import type { TReferralRequest } from "../intake/schema";

type Agency = TReferralRequest["agency"];

/** Each agency's usual case manager (index = the demo's agency index). */
const AGENCY_CASE_MANAGERS: CaseManager[] = [
  { name: "Dana Whitfield", phone: "937-555-0142", fax: "937-555-0143", email: "dana.whitfield@gemcity.example" },
  { name: "Marcus Oyelaran", phone: "937-555-0178", fax: "937-555-0179", email: "m.oyelaran@miamivalley.example" },
  { name: "Priya Raman", phone: "859-555-0121", email: "priya.raman@bluegrass.example" },
];
/** A client's own case manager (from the insurer's care management): the client's earlier referral had them. */
const CLIENT_CASE_MANAGER: CaseManager = {
  name: "Theresa Okonkwo-Lindqvist",
  phone: "513-555-0199",
  fax: "513-555-0198",
  email: "t.okonkwo-lindqvist@caresource-care-management.example",
};

/** What reviewers do with each insurer and service (the funder, code and care type ACCloud has for them). */
const FUNDER_OF: Record<string, number> = {
  "Medicare Part A": 10,
  "Anthem Blue Cross": 9,
  "Humana Gold": 9,
  CareSource: 11,
  "ABC Insurers": 9,
};
const CODE_OF: Record<string, { code: number; care: "nursing" | "psw" }> = {
  PT: { code: 50, care: "nursing" },
  OT: { code: 51, care: "nursing" },
  "Skilled Nursing": { code: 48, care: "nursing" },
  "Infusion Nursing": { code: 49, care: "nursing" },
  "Home Health Aide": { code: 52, care: "psw" },
};

type Earlier = {
  agency: number;
  client: number;
  insurer: string;
  service: string;
  frequency: string;
  /** a reviewer's choice other than the usual one */
  funder?: number;
  caseManager?: CaseManager;
};

/**
 * The decisions: every demo insurer, service and agency, each agency's usual case manager, one
 * client with a case manager of their own (the open referrals of client 2004 at Miami Valley
 * then suggest them), and one reviewer's exception (CareSource once to OptionCare CSI).
 */
const EARLIER: Earlier[] = [
  { agency: 0, client: 2000, insurer: "Medicare Part A", service: "PT", frequency: "Twice a week" },
  { agency: 0, client: 3101, insurer: "ABC Insurers", service: "PT", frequency: "2x/wk" },
  { agency: 0, client: 3102, insurer: "A.B.C. Insurance", service: "PT", frequency: "1w4" },
  { agency: 0, client: 3103, insurer: "Humana Gold", service: "Skilled Nursing", frequency: "Three times a week" },
  { agency: 0, client: 3104, insurer: "CareSource", service: "Home Health Aide", frequency: "Daily" },
  { agency: 0, client: 2003, insurer: "Anthem Blue Cross", service: "OT", frequency: "Once a week" },
  {
    agency: 1,
    client: 2004,
    insurer: "CareSource",
    service: "OT",
    frequency: "2w2, 1w2",
    caseManager: CLIENT_CASE_MANAGER,
  },
  { agency: 1, client: 3201, insurer: "Medicare Part A", service: "Infusion Nursing", frequency: "Daily" },
  { agency: 1, client: 3202, insurer: "Anthem Blue Cross", service: "Skilled Nursing", frequency: "Twice a week" },
  { agency: 1, client: 3203, insurer: "Humana Gold", service: "PT", frequency: "Twice a week" },
  { agency: 1, client: 3204, insurer: "CareSource", service: "Home Health Aide", frequency: "4 hrs/day 5 days/wk" },
  { agency: 2, client: 2002, insurer: "Humana Gold", service: "Infusion Nursing", frequency: "Once a week" },
  { agency: 2, client: 3301, insurer: "CareSource", service: "Skilled Nursing", frequency: "Twice a week", funder: 9 },
  { agency: 2, client: 3302, insurer: "Medicare Part A", service: "OT", frequency: "Three times a week" },
  { agency: 2, client: 3303, insurer: "Anthem Blue Cross", service: "Home Health Aide", frequency: "Daily" },
  { agency: 2, client: 3304, insurer: "Medicare Part A", service: "Skilled Nursing", frequency: "Once a week" },
];
/** How many earlier decisions the demo approves (with reference data). */
export const EARLIER_DECISIONS = EARLIER.length;

/** Sets a form field's value by its label (the demo payloads carry every label of the CSI form). */
function setField(p: TReferralRequest, label: string, value: unknown) {
  const f = p.form_data.fields.find((x) => x.field_label === label);
  if (f) f.field_value = value as never;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Delivers and approves the earlier decisions as the demo reviewer. Returns how many were approved
 * (0 without reference data).
 */
export async function seedEarlierDecisions(
  db: Db,
  opts: {
    agencies: readonly Agency[];
    reviewerEmail: string;
    payload: (k: number) => TReferralRequest;
    deliver: (payload: TReferralRequest) => Promise<{ id: string }>;
    /** the open referrals start on this day: the earlier ones end before it */
    openFrom: Date;
  },
): Promise<number> {
  const ref = await getReferenceData(db);
  if (!ref.lastSuccessfulRefresh) return 0;
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, opts.reviewerEmail));
  if (!user) throw new Error("the demo reviewer is not seeded");
  const actor: Actor = { type: "user", ...user, role: "reviewer", sessionId: "" };
  let approved = 0;
  for (const [k, e] of EARLIER.entries()) {
    const p = opts.payload(k);
    p.agency = { ...opts.agencies[e.agency]! };
    p.client = { ...p.client, id: e.client };
    const start = new Date(opts.openFrom.getTime() - (75 - k * 2) * 86_400_000);
    setField(p, "Primary insurance name", e.insurer);
    setField(p, "Service Requested", { option: { name: e.service, value: e.service } });
    setField(p, "Service frequency", e.frequency);
    setField(p, "Service authorizations", null);
    setField(p, "Service start date", isoDay(start));
    setField(p, "Service end date", isoDay(new Date(start.getTime() + 40 * 86_400_000)));
    const { id } = await opts.deliver(p);
    const [row] = await db
      .select({ version: referralRequests.version })
      .from(referralRequests)
      .where(eq(referralRequests.id, id));
    // The dates, rules and member number as the form reads them (what the reviewer kept), the rest as the reviewer chose.
    const drafted = editorValues(
      buildDraft({
        fields: p.form_data.fields,
        formSchemaId: p.form_data.form_schema_id ?? null,
        serviceStart: null,
        serviceEnd: null,
        reference: { funders: [], serviceCodes: [] },
        history: EMPTY_HISTORY(p.agency.name),
        checks: null,
        duplicates: [],
      }),
      p.agency.alayamarket_org_id,
    );
    const service = CODE_OF[e.service]!;
    const cm = e.caseManager ?? AGENCY_CASE_MANAGERS[e.agency]!;
    const result = await approveReferral(db, actor, {
      referralId: id,
      version: row!.version,
      approval: {
        ...drafted,
        careType: service.care,
        serviceCodeId: service.code,
        funderId: e.funder ?? FUNDER_OF[e.insurer.startsWith("A.B.C.") ? "ABC Insurers" : e.insurer]!,
        caseManager: { name: cm.name, phone: cm.phone, fax: cm.fax, email: cm.email },
      },
    });
    if (result.status !== "success") throw new Error(`demo approval refused: ${result.message ?? result.status}`);
    approved++;
  }
  return approved;
}
