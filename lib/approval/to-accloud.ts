/**
 * The approval editor's authorization as the ACCloud create body the push sends. Pure, so the
 * editor's schema can check exactly that body against ACCloud's rules before anything is sent.
 */
import { WEEKDAY_RULES } from "../accloud/authorization-rules";
import type { TAuthorizationCreate } from "../accloud/schemas";
import type { Weekday } from "./constants";
import type { TApproval } from "./schema";

export type AccloudIds = { clientId: number; serviceId: number };

/** Each editor weekday and its ACCloud field (rule_monday …). */
export const WEEKDAY_FIELDS = WEEKDAY_RULES.map((field) => [field.slice("rule_".length) as Weekday, field] as const);

/**
 * Every authorization of an approval covers the approval's dates and only the request's own
 * service, with methodology "service" and no payor (CSI's Step 3). Only the chosen per-day mode
 * is sent: rule_daily for "same every day", rule_<weekday> for "per weekday".
 */
export function toAccloudAuthorization(approval: TApproval, index: number, ids: AccloudIds): TAuthorizationCreate {
  const a = approval;
  const auth = a.authorizations[index];
  if (!auth) throw new Error(`the approval has no authorization ${index}`);
  const body: TAuthorizationCreate = {
    client_id: ids.clientId,
    service_ids: [ids.serviceId],
    start_at: a.startDate,
    end_at: a.endDate,
    methodology: "service",
    rule_type: auth.ruleType,
    first_day_of_week: auth.firstDayOfWeek,
    ...(auth.ruleWeekly !== undefined ? { rule_weekly: auth.ruleWeekly } : {}),
    ...(auth.ruleMonthly !== undefined ? { rule_monthly: auth.ruleMonthly } : {}),
    ...(auth.rulePeriod !== undefined ? { rule_period: auth.rulePeriod } : {}),
    ...(auth.authorizationNumber ? { authorization_number: auth.authorizationNumber } : {}),
    ...(auth.memberNumber ? { member_number: auth.memberNumber } : {}),
    ...(auth.programId ? { program_id: auth.programId } : {}),
    ...(auth.notes ? { notes: auth.notes } : {}),
    case_manager_name: a.caseManager.name,
    ...(a.caseManager.phone ? { case_manager_phone: a.caseManager.phone } : {}),
    ...(a.caseManager.fax ? { case_manager_fax: a.caseManager.fax } : {}),
    ...(a.caseManager.email ? { case_manager_email: a.caseManager.email } : {}),
  };
  if (auth.ruleMode === "daily") {
    if (auth.ruleDaily !== undefined) body.rule_daily = auth.ruleDaily;
  } else {
    for (const [day, field] of WEEKDAY_FIELDS) {
      const v = auth.weekdays[day];
      if (v !== undefined) body[field] = v;
    }
  }
  return body;
}
