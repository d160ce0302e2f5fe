/**
 * "Approve as drafted" shows exactly what goes to ACCloud before anything is sent: the service
 * (care type, code, funder at 100 %, dates, agency), each authorization (its dates, its rules in
 * words and as ACCloud's fields, the member number) and the referral's case manager, each value
 * with where it came from. Plain rows for the confirmation dialog.
 */
import { ruleText } from "../frequency/explain";
import type { FrequencyRule } from "../frequency/parse";
import { WEEKDAYS } from "./constants";
import type { EditorSources } from "./prefill";
import type { TApproval } from "./schema";
import { toAccloudAuthorization } from "./to-accloud";

export type SummaryRow = { label: string; value: string; source?: string };
export type DraftedSummary = Array<{ title: string; rows: SummaryRow[] }>;

type Named = { id: number; name: string };

function ruleOf(a: TApproval["authorizations"][number]): FrequencyRule {
  const weekdays = Object.fromEntries(
    WEEKDAYS.map((d) => [d, a.weekdays[d]]).filter(([, v]) => v !== undefined && a.ruleMode === "weekdays"),
  );
  return {
    ruleType: a.ruleType as FrequencyRule["ruleType"],
    ...(a.ruleMode === "daily" && a.ruleDaily !== undefined ? { ruleDaily: a.ruleDaily } : {}),
    ...(Object.keys(weekdays).length ? { weekdays } : {}),
    ...(a.ruleWeekly !== undefined ? { ruleWeekly: a.ruleWeekly } : {}),
    ...(a.ruleMonthly !== undefined ? { ruleMonthly: a.ruleMonthly } : {}),
    ...(a.rulePeriod !== undefined ? { rulePeriod: a.rulePeriod } : {}),
  };
}

/** The authorization's ACCloud rule fields as sent ("rule_type VISITS · rule_weekly 2 · rule_period 10"). */
function accloudFields(a: TApproval, i: number): string {
  const body = toAccloudAuthorization(a, i, { clientId: 0, serviceId: 0 }) as Record<string, unknown>;
  return Object.entries(body)
    .filter(([k, v]) => (k === "rule_type" || k.startsWith("rule_")) && v !== undefined && v !== null)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(" · ");
}

export function draftedSummary(
  a: TApproval,
  ctx: {
    serviceCodes: readonly Named[];
    funders: readonly Named[];
    agencyName: string;
    clientTimezone: string;
    sources: EditorSources;
  },
): DraftedSummary {
  const src = (path: string) => ctx.sources[path]?.text;
  const name = (list: readonly Named[], id: number) => list.find((x) => x.id === id)?.name ?? String(id);
  const body = (i: number) => toAccloudAuthorization(a, i, { clientId: 0, serviceId: 0 }) as Record<string, unknown>;
  const sections: DraftedSummary = [
    {
      title: "Service",
      rows: [
        { label: "Care type", value: a.careType === "psw" ? "PSW" : "Nursing", source: src("careType") },
        { label: "Service code", value: name(ctx.serviceCodes, a.serviceCodeId), source: src("serviceCodeId") },
        {
          label: "Funder",
          value: `${name(ctx.funders, a.funderId)} (single funder, 100%)`,
          source: src("funderId"),
        },
        { label: "Start date", value: a.startDate, source: src("startDate") },
        { label: "End date", value: a.endDate, source: src("endDate") },
        { label: "Agency", value: ctx.agencyName, source: "the agency that sent the referral" },
      ],
    },
    ...a.authorizations.map((auth, i) => {
      const b = body(i);
      return {
        title: a.authorizations.length > 1 ? `Authorization ${i + 1} of ${a.authorizations.length}` : "Authorization",
        rows: [
          {
            label: "Dates",
            value: `${String(b.start_at)} to ${String(b.end_at)}`,
            source: src(`authorizations.${i}.startAt`),
          },
          {
            label: "Rules",
            value: `${ruleText(ruleOf(auth))} (${accloudFields(a, i)})`,
            source: src(`authorizations.${i}.ruleType`),
          },
          ...(auth.memberNumber
            ? [{ label: "Member number", value: auth.memberNumber, source: src(`authorizations.${i}.memberNumber`) }]
            : []),
        ],
      };
    }),
    {
      title: "Case manager (on the referral and each authorization)",
      rows: (["name", "phone", "fax", "email"] as const)
        .filter((k) => a.caseManager[k])
        .map((k) => ({
          label: { name: "Name", phone: "Phone", fax: "Fax", email: "E-mail" }[k],
          value: a.caseManager[k]!,
          source: src(`caseManager.${k}`),
        })),
    },
    {
      title: "Referral",
      rows: [
        {
          label: "Dates",
          value: `${a.startDate} to ${a.endDate}, from midnight ${ctx.clientTimezone}`,
        },
        { label: "Comment for the agency", value: a.comment ?? "none" },
      ],
    },
  ];
  return sections;
}
