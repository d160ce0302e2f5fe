/**
 * The editor knows every rule ACCloud enforces: the approval schema accepts exactly the
 * authorizations the sandbox accepts once the push has mapped them, and names the field to fix.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_AUTHORIZATION_RULE_OPTIONS,
  AUTHORIZATION_RULES,
  overlappingAuthorization,
  type AuthorizationField,
  type ExistingAuthorization,
} from "../authorization-rules";
import { OVERLAP_MESSAGE } from "../accloud/sandbox/routes-authorizations";
import { approvalInput } from "../../test/support/fixtures";
import { startTestSandbox, type TestSandbox } from "../../test/support/sandbox";
import * as build from "../../test/support/accloud-examples";
import { isoDay } from "../../test/support/dates";
import { WEEKDAYS } from "./constants";
import { editorPath, ZApproval, type TApproval, type TApprovalInput, type TAuthorizationDraft } from "./schema";
import { toAccloudAuthorization } from "./to-accloud";

const AUTHS = "/ext/api/v2/scheduler/authorizations";

const approval = approvalInput;
const auth = (over: Partial<TAuthorizationDraft>): TAuthorizationDraft => ({
  ruleType: "HOURS",
  ruleMode: "daily",
  weekdays: {},
  firstDayOfWeek: 6,
  ...over,
});

const issuesOf = (input: TApprovalInput) => {
  const r = ZApproval.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("daily ≤ weekly ≤ monthly, beside the field", () => {
  it("refuses a daily rule above the weekly rule on the daily field", () => {
    expect(issuesOf(approval({ authorizations: [auth({ ruleDaily: 5, ruleWeekly: 4 })] }))).toEqual([
      "authorizations.0.ruleDaily: The daily rule must be lower than or equal to the weekly rule",
    ]);
  });
  it("refuses a weekly rule above the monthly rule on the weekly field, in either per-day mode", () => {
    expect(issuesOf(approval({ authorizations: [auth({ ruleDaily: 2, ruleWeekly: 10, ruleMonthly: 8 })] }))).toEqual([
      "authorizations.0.ruleWeekly: The weekly rule must be lower than or equal to the monthly rule",
    ]);
    expect(
      issuesOf(
        approval({
          authorizations: [
            auth({ ruleType: "VISITS", ruleMode: "weekdays", weekdays: { monday: 1 }, ruleWeekly: 3, ruleMonthly: 2 }),
          ],
        }),
      ),
    ).toEqual(["authorizations.0.ruleWeekly: The weekly rule must be lower than or equal to the monthly rule"]);
  });
  it("reports each broken rule of each authorization on its own field, and 0 is a limit", () => {
    const two = [auth({ ruleDaily: 3, ruleWeekly: 0 }), auth({ ruleDaily: 9, ruleWeekly: 12, ruleMonthly: 8 })];
    expect(issuesOf(approval({ authorizations: two }))).toEqual([
      "authorizations.0.ruleDaily: The daily rule must be lower than or equal to the weekly rule",
      "authorizations.1.ruleDaily: The daily rule must be lower than or equal to the monthly rule",
      "authorizations.1.ruleWeekly: The weekly rule must be lower than or equal to the monthly rule",
    ]);
  });
  it("accepts equal limits", () => {
    expect(issuesOf(approval({ authorizations: [auth({ ruleDaily: 4, ruleWeekly: 4, ruleMonthly: 4 })] }))).toEqual([]);
  });
  it("reports the approval's dates once, however many authorizations carry them", () => {
    const two = [auth({ ruleDaily: 1 }), auth({ ruleDaily: 2 })];
    expect(issuesOf(approval({ startDate: isoDay(10), endDate: isoDay(5), authorizations: two }))).toEqual([
      "endDate: End date must be on or after the start date",
    ]);
    expect(issuesOf(approval({ startDate: isoDay(-400), endDate: isoDay(5), authorizations: [] }))).toEqual([
      "authorizations: Add at least one authorization",
      "startDate: Start date cannot be more than 1 year in the past",
    ]);
  });
  it("adds nothing where the field's own schema already refused the value", () => {
    expect(issuesOf(approval({ authorizations: [auth({ ruleDaily: 2, ruleWeekly: -1 })] }))).toEqual([
      "authorizations.0.ruleWeekly: Must be 0 or more",
    ]);
    expect(issuesOf(approval({ startDate: "2026-13-01", authorizations: [auth({ ruleDaily: 2 })] }))).toEqual([
      "startDate: Enter a date (YYYY-MM-DD)",
    ]);
  });
  it("puts every rule's body field on an editor field the form shows", () => {
    const shown = new Set([
      "startDate",
      "endDate",
      "ruleDaily",
      "ruleWeekly",
      "ruleMonthly",
      "rulePeriod",
      ...WEEKDAYS.map((d) => `weekdays.${d}`),
    ]);
    for (const rule of AUTHORIZATION_RULES) {
      if (rule.kind !== "body" || rule.id === "rule-non-negative") continue;
      // rule_custom is never sent by the editor; every other field the rules name has a home
      for (const f of rule.fields.filter((x) => x !== "rule_custom")) {
        const path = editorPath(f, 0);
        expect(shown.has(path.slice(path[0] === "authorizations" ? 2 : 0).join(".")), `${rule.id}: ${f}`).toBe(true);
      }
    }
  });
});

describe("the overlap conflict and what the push sends", () => {
  // Every body the mapping makes names one service (the request's own), methodology "service"
  // and no payor; the overlap rule only fires between bodies sharing a service in different
  // combinations, so bodies of this shape never conflict with each other, whatever the dates.
  it("never fires among the mapped bodies of any approvals of one client, each on its own service", () => {
    const approvals = fc.array(
      fc.record({
        start: fc.integer({ min: -300, max: 300 }),
        length: fc.integer({ min: 0, max: 200 }),
        count: fc.integer({ min: 1, max: 4 }),
        service: fc.integer({ min: 1, max: 3 }), // revisions and retries land on a service again
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(approvals, (list) => {
        const stored: ExistingAuthorization[] = [];
        for (const x of list) {
          const a = approval({
            startDate: isoDay(x.start),
            endDate: isoDay(x.start + x.length),
            authorizations: Array.from({ length: x.count }, (_, n) => auth({ ruleDaily: n + 1 })),
          }) as TApproval;
          for (let i = 0; i < x.count; i++) {
            const body = toAccloudAuthorization(a, i, { clientId: 7, serviceId: 100 + x.service });
            expect(body).toMatchObject({ service_ids: [100 + x.service], methodology: "service" });
            expect(body).not.toHaveProperty("payor_id");
            expect(overlappingAuthorization(body, stored, APP_AUTHORIZATION_RULE_OPTIONS)).toBeUndefined();
            stored.push({
              service_ids: body.service_ids,
              payor_id: null,
              start_at: body.start_at,
              end_at: body.end_at,
            });
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("against the real sandbox", () => {
  let t: TestSandbox;
  let clientId: number;
  beforeAll(async () => {
    t = await startTestSandbox();
    clientId = (await t.client.createClient(build.client())).id;
  });
  afterAll(async () => t?.close());

  /** A service per approval, as the push creates one per referral request, all for one client. */
  const newService = async () => (await t.client.createService(build.service(clientId))).id;

  // Values an editor can hold: whole visits, half hours, an occasional negative (refused by both).
  const amount = (type: "HOURS" | "VISITS", max: number) =>
    fc.option(
      type === "VISITS" ? fc.integer({ min: -1, max }) : fc.integer({ min: -1, max: 2 * max }).map((n) => n / 2),
      { nil: undefined, freq: 2 },
    );
  const draft: fc.Arbitrary<TAuthorizationDraft> = fc
    .record({
      ruleType: fc.constantFrom("HOURS" as const, "VISITS" as const),
      ruleMode: fc.constantFrom("daily" as const, "weekdays" as const),
      firstDayOfWeek: fc.integer({ min: 0, max: 6 }),
    })
    .chain((base) =>
      fc
        .record({
          ruleDaily: base.ruleMode === "daily" ? amount(base.ruleType, 10) : fc.constant(undefined),
          weekdays:
            base.ruleMode === "weekdays"
              ? fc.record(
                  Object.fromEntries(WEEKDAYS.map((d) => [d, amount(base.ruleType, 6)])) as Record<
                    (typeof WEEKDAYS)[number],
                    fc.Arbitrary<number | undefined>
                  >,
                )
              : fc.constant({}),
          ruleWeekly: amount(base.ruleType, 16),
          ruleMonthly: amount(base.ruleType, 40),
          rulePeriod: amount(base.ruleType, 60),
          authorizationNumber: fc.constantFrom(undefined, "PA-1"),
        })
        .map((rules) => ({ ...base, ...rules }) as TAuthorizationDraft),
    )
    // The editor's own rule "set at least one limit" is not ACCloud's: stay inside it.
    .filter((a) =>
      [a.ruleDaily, a.ruleWeekly, a.ruleMonthly, a.rulePeriod, ...WEEKDAYS.map((d) => a.weekdays[d])].some(
        (v) => v !== undefined,
      ),
    );
  // Starts around the one-year boundary and in the near future; ends before or after them.
  const dates = fc
    .record({
      start: fc.oneof(fc.integer({ min: -368, max: -362 }), fc.integer({ min: -3, max: 40 })),
      length: fc.integer({ min: -2, max: 60 }),
    })
    .map(({ start, length }) => ({ startDate: isoDay(start), endDate: isoDay(start + length) }));

  it("the schema accepts an approval exactly when the sandbox accepts every authorization it maps to", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(dates, fc.array(draft, { minLength: 1, maxLength: 3 }), async (d, drafts) => {
        const input = approval({ ...d, authorizations: drafts });
        const verdict = ZApproval.safeParse(input);
        const issues = verdict.success ? [] : verdict.error.issues;
        const serviceId = await newService();
        const answers = [];
        for (let i = 0; i < drafts.length; i++) {
          const body = toAccloudAuthorization(input as TApproval, i, { clientId, serviceId });
          const res = await t.raw("POST", AUTHS, body);
          answers.push(res);
          expect([201, 400]).toContain(res.status);
          const onThis = issues.filter((x) => x.path[0] === "authorizations" && x.path[1] === i);
          if (res.status === 201) {
            expect(onThis.map((x) => x.message)).toEqual([]);
          } else {
            // The sandbox's message names the body field; the schema flags the editor field for it.
            const message = (res.body as { message: string }).message;
            const field = AUTHORIZATION_RULES.flatMap((r) => r.fields.map((f) => [f, r.message(f)] as const)).find(
              ([, m]) => m === message,
            )?.[0];
            expect(field, message).toBeDefined();
            expect(issues.map((x) => x.path.join("."))).toContain(editorPath(field as AuthorizationField, i).join("."));
          }
        }
        const sandboxAccepts = answers.every((r) => r.status === 201);
        if (sandboxAccepts) accepted++;
        expect(verdict.success, JSON.stringify(issues.map((x) => `${x.path.join(".")}: ${x.message}`))).toBe(
          sandboxAccepts,
        );
      }),
      { numRuns: 80 },
    );
    // Both answers occurred often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(5);
    expect(accepted).toBeLessThan(75);
  });

  it("the overlap conflict cannot reach what the editor sends: within an approval, across referrals, on a retry", async () => {
    const drafts = [
      auth({ ruleDaily: 2, ruleWeekly: 8 }),
      auth({ ruleType: "VISITS", ruleMode: "weekdays", weekdays: { monday: 1, thursday: 1 } }),
      auth({ rulePeriod: 40 }),
    ];
    const first = approval({ startDate: isoDay(5), endDate: isoDay(60), authorizations: drafts }) as TApproval;
    expect(ZApproval.safeParse(first).success).toBe(true);
    const c = (await t.client.createClient(build.client())).id;
    const post = async (a: TApproval, serviceId: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < a.authorizations.length; i++)
        statuses.push((await t.raw("POST", AUTHS, toAccloudAuthorization(a, i, { clientId: c, serviceId }))).status);
      return statuses;
    };
    const s1 = (await t.client.createService(build.service(c))).id;
    // three authorizations of one approval, all over the same dates on the same service
    expect(await post(first, s1)).toEqual([201, 201, 201]);
    // a retry that creates them again (an answer lost after ACCloud applied the call)
    expect(await post(first, s1)).toEqual([201, 201, 201]);
    // the same client's other referral (its own service), over overlapping dates
    const s2 = (await t.client.createService(build.service(c))).id;
    expect(
      await post(approval({ startDate: isoDay(1), endDate: isoDay(90), authorizations: drafts }) as TApproval, s2),
    ).toEqual([201, 201, 201]);
    // a new approval revision of the first referral, other dates, same service
    expect(
      await post(approval({ startDate: isoDay(30), endDate: isoDay(120), authorizations: drafts }) as TApproval, s1),
    ).toEqual([201, 201, 201]);
    // The rule is live: a body combining both services over those dates is refused.
    const combined = { ...toAccloudAuthorization(first, 0, { clientId: c, serviceId: s1 }), service_ids: [s1, s2] };
    expect(await t.raw("POST", AUTHS, combined)).toMatchObject({
      status: 409,
      body: { code: "409", message: OVERLAP_MESSAGE },
    });
  });
});
