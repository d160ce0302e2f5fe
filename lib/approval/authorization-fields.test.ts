/**
 * The table of authorization fields drives every consumer: a field added to the table alone shows
 * up in the zod draft, the empty authorization, the ACCloud create and update bodies (within
 * ACCloud's contract), the update plan, the revision diff's labels and a retry's lookup match, or a
 * test here names the field and the consumer that misses it. The fieldset's inputs are checked in
 * components/approval/authorization-fieldset.test.tsx.
 */
import { describe, expect, it } from "vitest";
import { ZAuthorizationCreate, ZAuthorizationUpdate, type TAuthorization } from "../accloud/schemas";
import { REDACTED_KEYS } from "../log";
import { accloudKeysOf, AUTHORIZATION_FIELDS, inRuleMode, WEEKDAY_FIELDS } from "./authorization-fields";
import type { AuthorizationFieldRow, AuthorizationValues, RuleMode } from "./authorization-fields";
import { emptyAuthorization } from "./constants";
import { authorizationPutBody, describeChanges, MUTABLE_AUTHORIZATION_FIELDS, planAuthorizations } from "./plan";
import { ZAuthorizationDraft, type TApproval } from "./schema";
import { diffObjects, revisionSnapshot } from "./snapshot";
import { sameAuthorization, toAccloudAuthorization } from "./to-accloud";

const FIELDS: readonly AuthorizationFieldRow[] = AUTHORIZATION_FIELDS;
const SENT = FIELDS.filter((f) => f.accloud !== null);
const MODES: RuleMode[] = ["daily", "weekdays"];
/** The rule mode in which a field is sent. */
const modeOf = (f: AuthorizationFieldRow): RuleMode => f.onlyWhen ?? "weekdays";

/** A value of each kind; `variant` 1 differs from 0 in every field. */
function sample(f: AuthorizationFieldRow, variant: 0 | 1): unknown {
  switch (f.kind) {
    case "text":
      return `${variant ? "second" : "first"} ${f.key}`;
    case "amount":
      return variant + 1;
    case "date":
      // Inside the approval's dates (approvalOf): an authorization's phase.
      return variant ? "2026-03-16" : "2026-03-09";
    case "weekdays":
      return Object.fromEntries(WEEKDAY_FIELDS.map(([day]) => [day, variant + 1]));
    case "first-day":
      return variant ? 0 : 6;
    case "rule-type":
    case "rule-mode":
      return Object.keys(f.options ?? {})[variant];
  }
}

/** An authorization with every field set (in `mode`), as the editor's parsed draft has it. */
const full = (mode: RuleMode, variant: 0 | 1 = 0, change: Record<string, unknown> = {}) =>
  ({
    ...Object.fromEntries(FIELDS.map((f) => [f.key, sample(f, variant)])),
    ruleMode: mode,
    ...change,
  }) as AuthorizationValues;

const approvalOf = (auth: AuthorizationValues): TApproval => ({
  careType: "nursing",
  serviceCodeId: 48,
  funderId: 9,
  startDate: "2026-03-02",
  endDate: "2026-04-30",
  supplyPersonaId: "00000000-0000-4000-8000-000000000000",
  caseManager: { name: "Jane Smith" },
  authorizations: [auth as TApproval["authorizations"][number]],
});
const IDS = { clientId: 7, serviceId: 8 };
const bodyOf = (auth: AuthorizationValues) => toAccloudAuthorization(approvalOf(auth), 0, IDS);
/** `auth` with field `f` at its other value. */
const changed = (f: AuthorizationFieldRow, auth: AuthorizationValues) => {
  const now = JSON.stringify((auth as Record<string, unknown>)[f.key]);
  return { ...auth, [f.key]: sample(f, now === JSON.stringify(sample(f, 0)) ? 1 : 0) } as AuthorizationValues;
};

/** What each field looks like in the ACCloud body (the weekdays: one member per day). */
const expectedBody = (f: AuthorizationFieldRow, value: unknown): Record<string, unknown> =>
  f.kind === "weekdays"
    ? Object.fromEntries(WEEKDAY_FIELDS.map(([day, field]) => [field, (value as Record<string, unknown>)[day]]))
    : { [f.accloud as string]: value };

describe("the table of authorization fields", () => {
  it("has each editor key and each ACCloud key once, and every PUT-changeable field a text or a date (UpdateAuthorization's are strings)", () => {
    const keys = FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    const accloud = FIELDS.flatMap(accloudKeysOf);
    expect(new Set(accloud).size).toBe(accloud.length);
    expect(FIELDS.filter((f) => f.put && f.kind !== "text" && f.kind !== "date").map((f) => f.key)).toEqual([]);
  });

  it("drives the zod draft: a schema per field, in the table's order, that keeps each field's value", () => {
    const shape = ZAuthorizationDraft.shape as Record<string, unknown>;
    expect(
      FIELDS.filter((f) => !shape[f.key]).map((f) => f.key),
      "fields without a schema",
    ).toEqual([]);
    expect(Object.keys(shape)).toEqual(FIELDS.map((f) => f.key));
    for (const mode of MODES) {
      const auth = full(mode);
      const parsed = ZAuthorizationDraft.parse(auth) as Record<string, unknown>;
      for (const f of FIELDS)
        expect({ [f.key]: parsed[f.key] }).toEqual({ [f.key]: (auth as Record<string, unknown>)[f.key] });
    }
  });

  it("drives the empty authorization: every field at its default", () => {
    const empty = emptyAuthorization() as Record<string, unknown>;
    expect(
      FIELDS.filter((f) => !(f.key in empty)).map((f) => f.key),
      "fields missing from it",
    ).toEqual([]);
    expect(Object.keys(empty)).toEqual(FIELDS.map((f) => f.key));
    for (const f of FIELDS) expect({ [f.key]: empty[f.key] }).toEqual({ [f.key]: f.default });
    // A fresh object each time: one authorization's weekdays are not another's.
    expect(emptyAuthorization().weekdays).not.toBe(emptyAuthorization().weekdays);
  });

  it("drives the create body: each field sent under its ACCloud key in its rule mode, within ACCloud's contract", () => {
    for (const mode of MODES) {
      const auth = full(mode);
      const body = bodyOf(auth);
      expect(
        () => ZAuthorizationCreate.parse(body),
        `${mode}: a table field outside CreateAuthorization`,
      ).not.toThrow();
      for (const f of SENT) {
        const part = expectedBody(f, (auth as Record<string, unknown>)[f.key]);
        if (inRuleMode(f, mode)) expect(body, `${f.key} in the body (${mode})`).toMatchObject(part);
        else for (const k of Object.keys(part)) expect(body, `${f.key} left out (${mode})`).not.toHaveProperty(k);
      }
    }
    // An empty text is left out of a create body.
    const empty = bodyOf({
      ...full("weekdays"),
      ...Object.fromEntries(FIELDS.filter((f) => f.kind === "text").map((f) => [f.key, ""])),
    });
    for (const f of FIELDS.filter((f) => f.kind === "text")) expect(empty).not.toHaveProperty(f.accloud as string);
  });

  it("drives the update plan: a field a PUT may change is changed in place, any other change recreates the authorization", () => {
    const notMutable = FIELDS.filter((f) => f.put)
      .flatMap(accloudKeysOf)
      .filter((k) => !MUTABLE_AUTHORIZATION_FIELDS.includes(k));
    expect(notMutable, "PUT-changeable fields missing from MUTABLE_AUTHORIZATION_FIELDS").toEqual([]);
    for (const f of SENT) {
      const mode = modeOf(f);
      const before = full(mode);
      const after = changed(f, before);
      const [plan] = planAuthorizations(approvalOf(before), approvalOf(after));
      expect(plan, f.key).toEqual({
        index: 0,
        action: f.put ? "update" : "recreate",
        changed: [...accloudKeysOf(f)].sort(),
      });
      expect(describeChanges(plan!.changed), f.key).toBe(f.changeWords ?? f.words);
    }
  });

  it('drives the PUT body: each field a PUT may change is sent when set and, cleared, as "" (a date: the approval\'s), within UpdateAuthorization', () => {
    for (const f of FIELDS.filter((f) => f.put)) {
      const set = full(modeOf(f));
      const other = changed(f, set);
      const cleared = { ...set, [f.key]: undefined } as AuthorizationValues;
      const sets = authorizationPutBody(bodyOf(other), bodyOf(set));
      const clears = authorizationPutBody(bodyOf(cleared), bodyOf(set));
      expect(sets, f.key).toMatchObject({ [f.accloud as string]: (other as Record<string, unknown>)[f.key] });
      // An authorization without dates of its own has the approval's (approvalOf).
      const clearedTo = f.key === "endAt" ? "2026-04-30" : f.kind === "date" ? "2026-03-02" : "";
      expect(clears, f.key).toMatchObject({ [f.accloud as string]: clearedTo });
      expect(() => ZAuthorizationUpdate.parse(sets), `${f.key} outside UpdateAuthorization`).not.toThrow();
    }
  });

  it("drives the revision diff's labels: a change of each field the agency receives reads in the field's words", () => {
    const names = { serviceCodes: new Map([[48, "Skilled Nursing"]]), funders: new Map([[9, "OptionCare CSI"]]) };
    const snap = (auth: AuthorizationValues) => revisionSnapshot(approvalOf(auth), null, names, []);
    for (const f of SENT) {
      const before = full(modeOf(f));
      const labels = diffObjects(snap(before), snap(changed(f, before))).map((c) => c.label);
      const expected =
        f.kind === "weekdays"
          ? WEEKDAY_FIELDS.map(([day]) => `Authorization 1 · ${day} limit`)
          : [`Authorization 1 · ${f.words}`];
      expect(labels.sort(), f.key).toEqual(expected.sort());
    }
  });

  it("drives a retry's lookup match: a field marked `match` must be the same in ACCloud, another may differ", () => {
    for (const f of SENT) {
      const auth = full(modeOf(f));
      const body = bodyOf(auth);
      const found = (b: object) => ({ id: 1, authorization_status: "NEW", ...b }) as TAuthorization;
      expect(sameAuthorization(found(body), body), f.key).toBe(true);
      expect(sameAuthorization(found(bodyOf(changed(f, auth))), body), f.key).toBe(!f.match);
    }
  });

  it("PHI fields are redacted in the logs under both keys", () => {
    const keys = FIELDS.filter((f) => f.phi).flatMap((f) => [f.key, ...accloudKeysOf(f)]);
    expect(
      keys.filter((k) => !(REDACTED_KEYS as readonly string[]).includes(k)),
      "PHI keys missing from lib/log.ts REDACTED_KEYS",
    ).toEqual([]);
  });
});
