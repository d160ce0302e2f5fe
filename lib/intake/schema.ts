/**
 * The Referral Request webhook body. It follows reference/referral_request.spec.yaml where the
 * spec is right and the real payload (reference/new_referral_request_payload.json) where they
 * disagree (reference/accloud-contract.md §2, §10):
 *  - agency.name is a string (the spec says integer; a number is accepted and kept as text);
 *  - field_type takes date, checkbox and any value not yet known: kept, never rejected;
 *  - field_value is any JSON or null (the spec says string);
 *  - request_id is optional as in the spec (see deriveRequestId);
 *  - unknown properties are kept (the raw payload is stored), not rejected.
 */
import { z } from "zod";

/** Building an Intl.DateTimeFormat costs ~0.1 ms; every request names two zones, nearly always the same few. */
const timeZoneVerdicts = new Map<string, boolean>();
const isTimeZone = (tz: string) => {
  const known = timeZoneVerdicts.get(tz);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    ok = true;
  } catch {
    ok = false;
  }
  if (timeZoneVerdicts.size >= 1000) timeZoneVerdicts.clear();
  timeZoneVerdicts.set(tz, ok);
  return ok;
};

const ZTimeZone = z.string().min(1).refine(isTimeZone, { message: "must be an IANA time zone such as America/Chicago" });
const ZOptionalText = z.string().nullish();

export const KNOWN_FIELD_TYPES = [
  "section",
  "text",
  "textarea",
  "number",
  "list",
  "picture",
  "demographics",
  "medical_history",
  "date",
  "checkbox",
] as const;

export const ZAgency = z.looseObject({
  name: z
    .union([z.string().trim().min(1), z.number().int()])
    .transform(String)
    .describe("Agency name. A string in practice; the spec's integer is accepted and kept as text."),
  host: z.string().min(1),
  branch_id: z.number().int(),
  alayamarket_org_id: z.guid().describe("Becomes supply_persona_id of the referral approval"),
  timezone: ZTimeZone,
});

export const ZClient = z.looseObject({
  id: z.number().int().describe("Client id in the agency's branch"),
  first_name: z.string().trim().min(1),
  last_name: z.string().trim().min(1),
  timezone: ZTimeZone,
  email: ZOptionalText,
  phone_main: ZOptionalText,
  birthday: z.iso.date().nullish(),
  gender: ZOptionalText,
  address: ZOptionalText,
  city: ZOptionalText,
  state: ZOptionalText,
  zip: ZOptionalText,
  country: ZOptionalText,
});

export const ZFormFile = z.looseObject({
  file_name: z.string().trim().min(1).max(255),
  file_value: z.string().min(1).describe("base64 bytes of the file; at most 50 MB decoded"),
});

export const ZFormField = z.looseObject({
  field_id: z.number().int().describe("Differs per environment: never used as a key"),
  field_label: z.string(),
  field_type: z
    .string()
    .min(1)
    .describe(`One of ${KNOWN_FIELD_TYPES.join(", ")}; unknown types are kept and shown as they are`),
  // Any JSON value: the body was read by JSON.parse, so a z.json() walk of every value would only cost time.
  field_value: z.unknown().describe("Any JSON or null: string, number, boolean, { option }, medical-history rows"),
  type: z.string().nullish().describe("For demographics: text, bday or list"),
});

export const ZFormData = z.looseObject({
  form_id: z.number().int().nullish(),
  form_name: z.string().nullish(),
  form_schema_id: z.guid().nullish().describe("Stable across form versions; selects the label mapping"),
  created_at: z.iso.datetime({ offset: true }).nullish(),
  created_by: z.string().nullish(),
  fields: z.array(ZFormField).min(1, "must contain the form's fields"),
});

export const ZReferralRequest = z.looseObject({
  request_id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:-]+$/, "must contain only letters, digits and . _ : -")
    .optional()
    .describe("Idempotency key and the ACCloud external service id. When absent, one is derived from the content (see README)"),
  agency: ZAgency,
  client: ZClient,
  files: z.array(ZFormFile).nullish(),
  form_data: ZFormData,
});

export type TReferralRequest = z.infer<typeof ZReferralRequest>;
export type TFormField = z.infer<typeof ZFormField>;

/** "form_data.fields[3].field_id" from zod's path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(body)";
}
