/**
 * The approval editor's authorization as the ACCloud create body the push sends, and how a retry
 * knows an authorization found in ACCloud for that body. Pure, so the editor's schema can check
 * exactly that body against ACCloud's rules before anything is sent. Both read the table of
 * authorization fields (authorization-fields.ts).
 */
import type { TAuthorization, TAuthorizationCreate } from "../accloud/schemas";
import {
  accloudKeysOf,
  AUTHORIZATION_FIELDS,
  inRuleMode,
  WEEKDAY_FIELDS,
  type AuthorizationFieldRow,
  type AuthorizationValues,
} from "./authorization-fields";

export type AccloudIds = { clientId: number; serviceId: number };

/** What the body is built from: the approval's dates, its case manager and its authorizations. */
export type ApprovalForAccloud = {
  startDate: string;
  endDate: string;
  caseManager: { name: string; phone?: string | undefined; fax?: string | undefined; email?: string | undefined };
  authorizations: readonly AuthorizationValues[];
};

/** One field's part of the body: a limit or a choice when set, a text when not empty. */
function bodyPart(f: AuthorizationFieldRow, value: unknown): Array<[string, unknown]> {
  if (f.accloud === null || value === undefined) return [];
  if (f.kind === "weekdays") {
    const days = value as Record<string, number | undefined>;
    return WEEKDAY_FIELDS.filter(([day]) => days[day] !== undefined).map(([day, field]) => [field, days[day]]);
  }
  if ((f.kind === "text" || f.kind === "date") && !value) return [];
  return [[f.accloud as string, value]];
}

/**
 * Every authorization of an approval covers the approval's dates, or its own inside them (a phase
 * of the frequency: the table's startAt / endAt), and only the request's own service, with
 * methodology "service" and no payor (CSI's Step 3). Only the chosen per-day mode is sent:
 * rule_daily for "same every day", rule_<weekday> for "per weekday".
 */
export function toAccloudAuthorization(
  approval: ApprovalForAccloud,
  index: number,
  ids: AccloudIds,
): TAuthorizationCreate {
  const a = approval;
  const auth = a.authorizations[index];
  if (!auth) throw new Error(`the approval has no authorization ${index}`);
  const values = auth as Record<string, unknown>;
  return {
    client_id: ids.clientId,
    service_ids: [ids.serviceId],
    start_at: a.startDate,
    end_at: a.endDate,
    methodology: "service",
    ...Object.fromEntries(
      AUTHORIZATION_FIELDS.filter((f) => inRuleMode(f, auth.ruleMode)).flatMap((f) => bodyPart(f, values[f.key])),
    ),
    case_manager_name: a.caseManager.name,
    ...(a.caseManager.phone ? { case_manager_phone: a.caseManager.phone } : {}),
    ...(a.caseManager.fax ? { case_manager_fax: a.caseManager.fax } : {}),
    ...(a.caseManager.email ? { case_manager_email: a.caseManager.email } : {}),
  } as TAuthorizationCreate;
}

/**
 * An authorization already in ACCloud that is this body's (authorizations have no external id): the
 * same dates, and the same value in each field the table matches on (the rule type, every limit,
 * the authorization number). ACCloud reads an unset limit back as null.
 */
export function sameAuthorization(found: TAuthorization, body: TAuthorizationCreate): boolean {
  const f = found as Record<string, unknown>;
  const b = body as Record<string, unknown>;
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const same = (row: AuthorizationFieldRow, k: string) =>
    row.kind === "amount" || row.kind === "weekdays" || row.kind === "first-day"
      ? num(f[k]) === num(b[k])
      : row.kind === "date"
        ? String(f[k] ?? "").slice(0, 10) === b[k]
        : (f[k] ?? undefined) === (b[k] ?? undefined);
  return AUTHORIZATION_FIELDS.filter((row) => row.match).every((row) => accloudKeysOf(row).every((k) => same(row, k)));
}

/**
 * The authorizations a referral links (its authorization_ids): those covering exactly the
 * referral's dates, as ACCloud requires of each linked one (contract: "each authorization's start
 * and end dates must equal the date parts of start_at / end_at"). A phase with dates of its own
 * stays on the service, unlinked. `ids` are the authorizations' ACCloud ids, in the approval's order.
 */
export function linkedAuthorizationIds(
  approval: Pick<ApprovalForAccloud, "authorizations" | "startDate" | "endDate">,
  ids: readonly number[],
): number[] {
  return ids.filter((_, i) => {
    const own = approval.authorizations[i] as { startAt?: string; endAt?: string } | undefined;
    return (
      (own?.startAt || approval.startDate) === approval.startDate &&
      (own?.endAt || approval.endDate) === approval.endDate
    );
  });
}
