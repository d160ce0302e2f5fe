/**
 * The draft of an approval, as `GET /api/referrals/{id}/draft` answers it: every value the editor
 * opens with, each with where it came from. Plain data, no I/O (the browser reads these types).
 *
 * A value is `{ value, source }` or null (nothing to suggest). Beside the contract's fields each
 * source carries `text`, its evidence in words ("chosen in 12 of 13 approvals for ‘ABC
 * Insurers’"), which is what the editor shows.
 */

export type Box = [number, number, number, number];

export type Source =
  /** read from a field of the agency's form */
  | { kind: "form"; label: string; text: string }
  /** read on the physician's order, where the stored check found it */
  | { kind: "order"; file_id: string; page: number; box: Box; text: string }
  /** what reviewers chose before: `count` of the `of` approvals for `key` */
  | { kind: "history"; count: number; of: number; key: string; text: string }
  /** the closest name in ACCloud's reference data: a guess */
  | { kind: "reference"; guess: true; text: string }
  /** derived by a stated rule (the text states it) */
  | { kind: "rule"; text: string };

export type V<T> = { value: T; source: Source } | null;

export type CareType = "nursing" | "psw";

export type DraftService = {
  care_type: V<CareType>;
  service_code_id: V<number>;
  funder_id: V<number>;
  start_date: V<string>;
  end_date: V<string>;
};

export const DRAFT_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type DraftWeekday = (typeof DRAFT_WEEKDAYS)[number];
export type RuleAmountKey = "rule_daily" | "rule_weekly" | "rule_monthly" | "rule_period" | `rule_${DraftWeekday}`;

export type DraftAuthorization = { rule_type: V<"VISITS" | "HOURS"> } & Record<RuleAmountKey, V<number>> & {
    start_at: V<string>;
    end_at: V<string>;
    member_number: V<string>;
  };

export type CaseManager = { name: string; phone?: string; fax?: string; email?: string };

export type DraftCaseManager = { name: V<string>; phone: V<string>; fax: V<string>; email: V<string> };

export type DraftDuplicate = { referral_id: string; why: string };

/** Another value for a field, with what speaks for it ("chosen in 1 of 13 approvals for ‘ABC Insurers’"). */
export type Alternative<T> = { value: T; label: string; count: number; text: string };

/** Where the order and the form disagree (a stored check of the order): the draft is then not complete. */
export type Disagreement = { field: string; form: string | null; order: string | null };

/** How the rules were read: the form's texts (frequency, authorizations) and the reading in words. */
export type DraftFrequency = {
  texts: Array<{ label: string; text: string }>;
  readable: boolean;
  explanation: string;
};

export type Draft = {
  complete: boolean;
  /** the required values without a source: "funder_id", "case_manager.name", "rules", … */
  missing: string[];
  service: DraftService;
  authorizations: DraftAuthorization[];
  case_manager: DraftCaseManager;
  duplicates: DraftDuplicate[];
  /** Beyond the contract: how the form's frequency was read (the rules' source in words). */
  frequency: DraftFrequency;
  /** Beyond the contract: the order's checks that disagree with the form. */
  disagreements: Disagreement[];
  /** Beyond the contract: what the approval's own checks refuse in the drafted values (the field and the message). */
  invalid: Array<{ field: string; message: string }>;
  /** Beyond the contract: the other values of the suggested fields, for the editor's "Other choices". */
  alternatives: {
    funder_id: Alternative<number>[];
    service_code_id: Alternative<number>[];
    care_type: Alternative<CareType>[];
    case_manager: Alternative<CaseManager>[];
  };
};

/** A count of one value among past approvals, and when it was last chosen. */
export type Counted<T> = { value: T; count: number; last: string };

/**
 * What the draft reads of past approvals (lib/draft/history/), as of a moment: the funders
 * chosen for the insurer, the codes and care types for the service, the client's own case
 * manager and the agency's in the last 90 days.
 */
export type DraftHistory = {
  insurer: { name: string | null; funders: Counted<number>[]; total: number };
  service: {
    requested: string | null;
    /** exact: the same "Service Requested"; discipline: other values naming the same discipline */
    how: "exact" | "discipline" | null;
    key: string | null;
    serviceCodes: Counted<number>[];
    careTypes: Counted<CareType>[];
    total: number;
  };
  client: { caseManagers: Counted<CaseManager>[]; total: number; lastAt: string | null };
  agency: { name: string; caseManagers: Counted<CaseManager>[]; total: number; days: number };
};

export const EMPTY_HISTORY = (agencyName: string): DraftHistory => ({
  insurer: { name: null, funders: [], total: 0 },
  service: { requested: null, how: null, key: null, serviceCodes: [], careTypes: [], total: 0 },
  client: { caseManagers: [], total: 0, lastAt: null },
  agency: { name: agencyName, caseManagers: [], total: 0, days: 90 },
});
