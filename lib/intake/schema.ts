/**
 * The Referral Request webhook body. It follows reference/referral_request.spec.yaml where the
 * spec is right and the real payload (reference/new_referral_request_payload.json) where they
 * disagree (reference/accloud-contract.md §2, §10):
 *  - agency.name is a string (the spec says integer; a number is accepted and kept as text);
 *  - field_type takes date, checkbox and any value not yet known: kept, never rejected;
 *  - field_value is any JSON or null (the spec says string);
 *  - request_id is optional as in the spec (see deriveRequestId);
 *  - unknown properties are kept (the raw payload is stored), not rejected.
 * Whatever the spec permits is accepted (no fields, an empty client name, a file without a
 * name); what is refused is refused the same way on every retry (422 naming the field, or 413).
 * The limits (INTAKE_LIMITS, README "What is accepted") keep one body's memory bounded.
 */
import { z } from "zod";

/** Documented limits of one delivery, beyond the body and file sizes of lib/env.ts. */
export const INTAKE_LIMITS = {
  /** Nesting of objects and arrays (the real payload nests 8 deep). */
  depth: 32,
  /** Values (objects, arrays, strings, numbers, booleans, nulls) in the whole body. */
  values: 100_000,
  /** Bytes of the JSON outside the files' base64 values. */
  jsonBytesOutsideFiles: 4 * 1024 * 1024,
  fields: 1000,
  files: 20,
} as const;

/** PostgreSQL's integer columns (branch, client and form ids are stored as integers). */
const ZInt32 = z
  .number()
  .int()
  .min(-2147483648, "must be at least -2147483648")
  .max(2147483647, "must be at most 2147483647");

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

const ZTimeZone = z
  .string()
  .min(1)
  .refine(isTimeZone, { message: "must be an IANA time zone such as America/Chicago" });
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
  host: z.string(),
  branch_id: ZInt32,
  alayamarket_org_id: z.guid().describe("Becomes supply_persona_id of the referral approval"),
  timezone: ZTimeZone,
});

export const ZClient = z.looseObject({
  id: ZInt32.describe("Client id in the agency's branch"),
  // Required by the spec, but an empty string is a string: kept (the queue shows it as it is).
  first_name: z.string().trim(),
  last_name: z.string().trim(),
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

// Neither member is required by the spec: a file without a name gets one, a file without bytes
// is kept in the payload and stores no file.
export const ZFormFile = z.looseObject({
  file_name: z.string().trim().default(""),
  file_value: z.string().default("").describe("base64 bytes of the file; at most 50 MB decoded"),
});

export const ZFormField = z.looseObject({
  field_id: z.number().int().describe("Differs per environment: never used as a key"),
  field_label: z.string(),
  field_type: z
    .string()
    .min(1)
    .describe(`One of ${KNOWN_FIELD_TYPES.join(", ")}; unknown types are kept and shown as they are`),
  // Any JSON value: the body was read by JSON.parse, so a z.json() walk of every value would only cost time.
  field_value: z
    .unknown()
    .optional()
    .describe("Any JSON or null: string, number, boolean, { option }, medical-history rows"),
  // Not in the spec (so anything is permitted): only a string means something.
  type: z.unknown().optional().describe("For demographics: text, bday or list"),
});

export const ZFormData = z.looseObject({
  form_id: ZInt32.nullish(),
  form_name: z.string().nullish(),
  form_schema_id: z.guid().nullish().describe("Stable across form versions; selects the label mapping"),
  created_at: z.iso.datetime({ offset: true }).nullish(),
  created_by: z.string().nullish(),
  // Not required by the spec, and may be empty.
  fields: z.array(ZFormField).max(INTAKE_LIMITS.fields, `must have at most ${INTAKE_LIMITS.fields} fields`).default([]),
});

export const ZReferralRequest = z.looseObject({
  request_id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:-]+$/, "must contain only letters, digits and . _ : -")
    .optional()
    .describe(
      "Idempotency key and the ACCloud external service id. When absent, one is derived from the content (see README)",
    ),
  agency: ZAgency,
  client: ZClient,
  files: z.array(ZFormFile).max(INTAKE_LIMITS.files, `must have at most ${INTAKE_LIMITS.files} files`).nullish(),
  form_data: ZFormData,
});

export type TReferralRequest = z.infer<typeof ZReferralRequest>;

/** "form_data.fields[3].field_id" from zod's path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(body)";
}
