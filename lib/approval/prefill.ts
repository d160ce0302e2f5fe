/**
 * Prefills the authorization editor from the request through the label mapping, so the reviewer
 * retypes nothing the form already holds, and suggests rules where the free text is clear.
 */
import { indexFields, textOf, dateOf, type FormFieldLike } from "../form/mapping";
import { emptyAuthorization } from "./constants";
import type { TApprovalInput } from "./schema";

export type RuleSuggestion = {
  source: string;
  ruleType: "HOURS" | "VISITS";
  ruleDaily?: number;
  ruleWeekly?: number;
  rulePeriod?: number;
  explanation: string;
};

const NUMBER_WORDS: Record<string, number> = {
  once: 1,
  one: 1,
  twice: 2,
  two: 2,
  three: 3,
  thrice: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

function toNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  if (/^\d+(\.\d+)?$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

/** "Twice a week", "3x/week", "10 visits total", "20 hours total", "daily", "2 hours daily". */
export function suggestRule(text: string | null | undefined): RuleSuggestion | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  let m = t.match(/^(\d+(?:\.\d+)?|[a-z]+)\s*(visits?|hours?|hrs?)\s*(?:in\s+)?(?:total|overall|for the period)$/);
  if (m) {
    const n = toNumber(m[1]!);
    if (n !== undefined) {
      const ruleType = m[2]!.startsWith("h") ? "HOURS" : "VISITS";
      return {
        source: text,
        ruleType,
        rulePeriod: n,
        explanation: `${n} ${ruleType.toLowerCase()} over the whole period`,
      };
    }
  }
  m = t.match(
    /^(once|twice|thrice|one|two|three|four|five|six|seven|\d+)\s*(?:times?|x|visits?)?\s*(?:a|per|\/|each)\s*week$/,
  );
  if (m) {
    const n = toNumber(m[1]!);
    if (n !== undefined)
      return {
        source: text,
        ruleType: "VISITS",
        ruleWeekly: n,
        explanation: `${n} visit${n === 1 ? "" : "s"} per week`,
      };
  }
  m = t.match(/^(\d+(?:\.\d+)?)\s*(hours?|hrs?)\s*(?:a|per|\/|each)\s*week$/);
  if (m) return { source: text, ruleType: "HOURS", ruleWeekly: Number(m[1]), explanation: `${m[1]} hours per week` };
  if (/^(daily|once a day|every day|once daily)$/.test(t))
    return { source: text, ruleType: "VISITS", ruleDaily: 1, explanation: "1 visit per day" };
  m = t.match(/^(\d+(?:\.\d+)?)\s*(hours?|hrs?)\s*(?:a day|per day|daily)$/);
  if (m) return { source: text, ruleType: "HOURS", ruleDaily: Number(m[1]), explanation: `${m[1]} hours per day` };
  return null;
}

const NURSING = /nurs|rn\b|lpn|infusion|wound|iv\b/i;
const PSW = /aide|psw|personal support|homemak|companion/i;

export function suggestCareType(serviceRequested: string | null): "nursing" | "psw" {
  if (serviceRequested && PSW.test(serviceRequested) && !NURSING.test(serviceRequested)) return "psw";
  return "nursing";
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** Service codes by name; "PT" also matches "Physical Therapy" and back. */
const ALIASES: Record<string, string[]> = {
  pt: ["physical therapy", "physiotherapy"],
  ot: ["occupational therapy"],
  "skilled nursing": ["sn", "nursing"],
  "home health aide": ["hha", "aide"],
  "infusion nursing": ["infusion"],
};

export function matchServiceCode(
  requested: string | null,
  codes: Array<{ id: number; name: string }>,
): number | undefined {
  if (!requested) return undefined;
  const want = norm(requested);
  const names = new Set([
    want,
    ...(ALIASES[want] ?? []),
    ...Object.entries(ALIASES)
      .filter(([, v]) => v.includes(want))
      .map(([k]) => k),
  ]);
  return (
    codes.find((c) => names.has(norm(c.name)))?.id ??
    codes.find((c) => norm(c.name).includes(want) || want.includes(norm(c.name)))?.id
  );
}

export function matchFunder(
  insurance: string | null,
  funders: Array<{ id: number; name: string }>,
): number | undefined {
  if (!insurance) return undefined;
  const want = norm(insurance);
  return (
    funders.find((f) => norm(f.name) === want)?.id ??
    funders.find((f) => want && (norm(f.name).includes(want) || want.includes(norm(f.name))))?.id
  );
}

export type PrefillInput = {
  fields: FormFieldLike[];
  formSchemaId: string | null;
  agencyOrgId: string;
  serviceStart: string | null;
  serviceEnd: string | null;
  serviceCodes: Array<{ id: number; name: string }>;
  funders: Array<{ id: number; name: string }>;
};

export type Prefill = {
  values: TApprovalInput;
  frequencyText: string | null;
  authorizationsText: string | null;
  suggestions: RuleSuggestion[];
};

export function prefillApproval(input: PrefillInput): Prefill {
  const byKey = indexFields(input.fields, input.formSchemaId);
  const serviceRequested = textOf(byKey.serviceRequested?.field_value);
  const frequencyText = textOf(byKey.serviceFrequency?.field_value);
  const authorizationsText = textOf(byKey.serviceAuthorizations?.field_value);
  const suggestions = [suggestRule(frequencyText), suggestRule(authorizationsText)].filter(
    (s): s is RuleSuggestion => s !== null,
  );

  const auth = emptyAuthorization();
  auth.memberNumber = textOf(byKey.primarySubscriberId?.field_value) ?? undefined;
  const visitsOrHours = suggestions[0]?.ruleType;
  if (visitsOrHours) auth.ruleType = visitsOrHours;
  for (const s of suggestions.filter((x) => x.ruleType === auth.ruleType)) {
    if (s.ruleWeekly !== undefined) auth.ruleWeekly = s.ruleWeekly;
    if (s.rulePeriod !== undefined) auth.rulePeriod = s.rulePeriod;
    if (s.ruleDaily !== undefined) {
      auth.ruleMode = "daily";
      auth.ruleDaily = s.ruleDaily;
    }
  }

  return {
    values: {
      careType: suggestCareType(serviceRequested),
      serviceCodeId: matchServiceCode(serviceRequested, input.serviceCodes) ?? "",
      funderId: matchFunder(textOf(byKey.primaryInsuranceName?.field_value), input.funders) ?? "",
      startDate: input.serviceStart ?? dateOf(byKey.serviceStart?.field_value) ?? "",
      endDate: input.serviceEnd ?? dateOf(byKey.serviceEnd?.field_value) ?? "",
      supplyPersonaId: input.agencyOrgId,
      comment: undefined,
      caseManager: { name: "", phone: undefined, fax: undefined, email: undefined },
      authorizations: [auth],
    },
    frequencyText,
    authorizationsText,
    suggestions,
  };
}
