/**
 * The webhook schema against CSI's published spec of the body (reference/referral_request.spec.yaml):
 * every member the spec names is one the schema knows, and every member the spec requires is
 * refused when missing, with the issue naming it. Where the spec is wrong (agency.name's type,
 * field_value's type, field_type's enum) the schema follows the real payload instead.
 */
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { readReferencePayload, referenceFile } from "../demo/reference-payload";
import { formatPath, ZAgency, ZClient, ZFormData, ZFormField, ZFormFile, ZReferralRequest } from "./schema";

type SpecSchema = {
  properties?: Record<string, unknown>;
  required?: string[];
  allOf?: Array<SpecSchema & { $ref?: string }>;
};
const spec = load(readFileSync(referenceFile("referral_request.spec.yaml"), "utf8")) as {
  components: { schemas: Record<string, SpecSchema> };
};
const schemas = spec.components.schemas;

/** A spec schema's members and required members, through allOf and local $refs. */
function members(name: string): { properties: string[]; required: string[] } {
  const s = schemas[name];
  if (!s) throw new Error(`no schema ${name} in the spec`);
  const out = { properties: Object.keys(s.properties ?? {}), required: [...(s.required ?? [])] };
  for (const part of s.allOf ?? []) {
    const inner = part.$ref
      ? members(part.$ref.replace("#/components/schemas/", ""))
      : { properties: Object.keys(part.properties ?? {}), required: part.required ?? [] };
    out.properties.push(...inner.properties);
    out.required.push(...inner.required);
  }
  return out;
}

type Payload = ReturnType<typeof readReferencePayload>;
/** Each spec schema, the zod object that validates it, and where it sits in the reference payload. */
const cases: Array<{ name: string; zod: z.ZodObject; at: (p: Payload) => Record<string, unknown>; path: string }> = [
  { name: "ReferralRequest", zod: ZReferralRequest, at: (p) => p, path: "" },
  { name: "AgencyMetadata", zod: ZAgency, at: (p) => p.agency, path: "agency." },
  { name: "ClientMetadata", zod: ZClient, at: (p) => p.client, path: "client." },
  { name: "FormFile", zod: ZFormFile, at: (p) => p.files![0]!, path: "files[0]." },
  { name: "FormData", zod: ZFormData, at: (p) => p.form_data, path: "form_data." },
  { name: "FormFieldData", zod: ZFormField, at: (p) => p.form_data.fields[0]!, path: "form_data.fields[0]." },
];

describe("the webhook schema follows reference/referral_request.spec.yaml", () => {
  it("the reference payload itself is accepted", () => {
    expect(ZReferralRequest.safeParse(readReferencePayload()).success).toBe(true);
  });

  it.each(cases)("$name: every member the spec names is declared", ({ name, zod }) => {
    const { properties } = members(name);
    expect(properties.length).toBeGreaterThan(0);
    expect(Object.keys(zod.shape)).toEqual(expect.arrayContaining(properties));
  });

  it.each(cases)("$name: every member the spec requires is refused when missing, naming it", ({ name, at, path }) => {
    const { required } = members(name);
    for (const key of required) {
      const payload = readReferencePayload();
      delete at(payload)[key];
      const result = ZReferralRequest.safeParse(payload);
      expect(result.success, `${path}${key} missing`).toBe(false);
      expect(result.error!.issues.map((i) => formatPath(i.path))).toContain(`${path}${key}`);
    }
  });

  it.each(cases)("$name: every member the spec does not require may be absent", ({ name, at, path }) => {
    const { properties, required } = members(name);
    for (const key of properties.filter((k) => !required.includes(k))) {
      const payload = readReferencePayload();
      delete at(payload)[key];
      const result = ZReferralRequest.safeParse(payload);
      expect(
        result.success,
        `${path}${key} absent: ${result.error?.issues.map((i) => formatPath(i.path)).join(", ")}`,
      ).toBe(true);
    }
  });

  it("empty strings and arrays where the spec's types allow them are accepted", () => {
    const payload = readReferencePayload();
    payload.form_data.fields = [];
    payload.client.first_name = "";
    payload.client.last_name = "";
    payload.agency.host = "";
    payload.files = [{ file_name: "", file_value: "" }];
    expect(ZReferralRequest.safeParse(payload).success).toBe(true);
  });

  it("the spec's required members are the ones this test knows about", () => {
    // A spec change that adds a schema or a requirement should be looked at, not missed.
    expect(Object.keys(schemas).sort()).toEqual([
      "AgencyMetadata",
      "BaseRequest",
      "ClientMetadata",
      "FormData",
      "FormFieldData",
      "FormFile",
      "ReferralRequest",
    ]);
    expect(cases.flatMap((c) => members(c.name).required.map((k) => `${c.path}${k}`))).toEqual([
      "agency",
      "client",
      "form_data",
      "agency.name",
      "agency.host",
      "agency.branch_id",
      "agency.alayamarket_org_id",
      "agency.timezone",
      "client.id",
      "client.first_name",
      "client.last_name",
      "client.timezone",
      "form_data.fields[0].field_id",
      "form_data.fields[0].field_label",
      "form_data.fields[0].field_type",
    ]);
  });
});
