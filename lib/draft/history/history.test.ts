/**
 * The draft's history from real approvals (intake, approval code, reference data from the
 * sandbox), in a database of this file's own so that the counts are exactly its approvals: the
 * funders chosen for an insurer however it is written, the client's own case manager before the
 * agency's, the agency's only within 90 days, a reference guess without history, a complete draft
 * the approval accepts as it is, and the migration's backfill giving the rows the app records.
 */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { draftApproval } from "../../approval/draft-view";
import { approveReferral } from "../../approval/approve";
import { getApprovalView } from "../../approval/view";
import { getDb } from "../../db";
import { approveWith, storeReferral, type Choice } from "../../../test/support/draft-history";
import { ownDatabaseForFile } from "../../../test/support/own-database";

const env = ownDatabaseForFile("draft_history");
const db = () => getDb();

const DANA = { name: "Dana Whitfield", phone: "937-555-0142", email: "dana@gem.example" };
const THERESA = { name: "Theresa Okonkwo", phone: "513-555-0199", fax: "513-555-0198" };
const choice = (over: Partial<Choice> = {}): Choice => ({
  funderId: 11,
  serviceCodeId: 50,
  careType: "nursing",
  caseManager: DANA,
  ...over,
});
const DAY = 86_400_000;

describe("the draft's history, from real approvals", () => {
  it("suggests the funder chosen most for the insurer, however the agency wrote its name, with the count in words", async () => {
    for (const [insurer, funderId] of [
      ["Acme Mutual Insurance", 11],
      ["ACME Mutual Ins.", 11],
      ["Acme Mutual Insurance Company", 12],
    ] as const) {
      const { id } = await storeReferral(db(), { agency: 0, insurer, service: "PT" });
      await approveWith(db(), env.reviewer, id, choice({ funderId }));
    }
    const next = await storeReferral(db(), { agency: 1, insurer: "Acme Mutual", service: "PT" });
    const d = (await draftApproval(db(), next.id))!.draft;
    expect(d.service.funder_id).toEqual({
      value: 11,
      source: {
        kind: "history",
        count: 2,
        of: 3,
        key: "Acme Mutual",
        text: "chosen in 2 of 3 approvals for ‘Acme Mutual’",
      },
    });
    expect(d.alternatives.funder_id.map((a) => [a.label, a.count])).toEqual([
      ["Ohio Medicaid", 2],
      ["Kentucky Medicaid", 1],
    ]);
    // "Medicaid" is not "Medicare": a name only close in letters is another insurer.
    const other = await storeReferral(db(), { agency: 1, insurer: "Acme Life", service: "PT" });
    expect((await draftApproval(db(), other.id))!.draft.service.funder_id).toBeNull();
  });

  it("guesses the closest ACCloud funder for an insurer never approved, marked as a guess", async () => {
    const { id } = await storeReferral(db(), { agency: 2, insurer: "Kentucky Medicaid Plan", service: "OT" });
    const d = (await draftApproval(db(), id))!.draft;
    expect(d.service.funder_id).toMatchObject({ value: 12, source: { kind: "reference", guess: true } });
    expect(d.service.service_code_id).toMatchObject({ value: 51, source: { kind: "reference", guess: true } });
  });

  it("suggests the code and care type chosen for the same 'Service Requested', else for the same discipline", async () => {
    for (const code of [52, 52]) {
      const { id } = await storeReferral(db(), { agency: 2, insurer: "Zenith Care", service: "Wound vac aide" });
      await approveWith(db(), env.reviewer, id, choice({ serviceCodeId: code, careType: "psw" }));
    }
    const same = await storeReferral(db(), { agency: 0, insurer: "Zenith Care", service: "Wound vac aide" });
    const d = (await draftApproval(db(), same.id))!.draft;
    expect(d.service.service_code_id).toMatchObject({
      value: 52,
      source: { kind: "history", count: 2, of: 2, key: "Wound vac aide" },
    });
    expect(d.service.care_type).toMatchObject({ value: "psw", source: { kind: "history", count: 2, of: 2 } });
    // "Physical Therapy" was never requested, but PT was (the first test): the same discipline.
    const pt = await storeReferral(db(), { agency: 0, insurer: "Zenith Care", service: "Physical Therapy" });
    expect((await draftApproval(db(), pt.id))!.draft.service.service_code_id).toMatchObject({
      value: 50,
      source: {
        kind: "history",
        key: "PT services",
        text: "chosen in 3 of 3 approvals for ‘PT services’ (services of the same discipline)",
      },
    });
  });

  it("takes the client's own case manager first, else the agency's most used in the last 90 days", async () => {
    const clientId = 777_001;
    for (let k = 0; k < 2; k++) {
      const { id } = await storeReferral(db(), { agency: 1, insurer: "Acme Mutual", service: "OT" });
      await approveWith(db(), env.reviewer, id, choice({ caseManager: DANA }));
    }
    const first = await storeReferral(db(), { agency: 1, clientId, insurer: "Acme Mutual", service: "OT" });
    await approveWith(db(), env.reviewer, first.id, choice({ caseManager: THERESA }));
    const again = await storeReferral(db(), {
      agency: 1,
      clientId,
      insurer: "Acme Mutual",
      service: "OT",
      start: "2027-01-04",
    });
    const own = (await draftApproval(db(), again.id))!.draft.case_manager;
    expect(own.name).toMatchObject({
      value: "Theresa Okonkwo",
      source: { kind: "history", count: 1, of: 1, key: "this client" },
    });
    expect([own.phone?.value, own.fax?.value, own.email]).toEqual(["513-555-0199", "513-555-0198", null]);

    // Another client of the same agency: the agency's most used (2 of its 3 approvals).
    const stranger = await storeReferral(db(), { agency: 1, insurer: "Acme Mutual", service: "OT" });
    const agency = (await draftApproval(db(), stranger.id))!.draft.case_manager.name;
    expect(agency).toEqual({
      value: "Dana Whitfield",
      source: {
        kind: "history",
        count: 2,
        of: 3,
        key: "Miami Valley Nursing",
        text: "chosen in 2 of 3 approvals for ‘Miami Valley Nursing’ in the last 90 days",
      },
    });
    // 91 days on, the agency's are too old; the client's own stays.
    const later = new Date(Date.now() + 91 * DAY);
    expect((await draftApproval(db(), stranger.id, { asOf: later }))!.draft.case_manager.name).toBeNull();
    expect((await draftApproval(db(), again.id, { asOf: later }))!.draft.case_manager.name?.value).toBe(
      "Theresa Okonkwo",
    );
    // And before any approval, nothing at all.
    const before = new Date(Date.now() - DAY);
    expect((await draftApproval(db(), stranger.id, { asOf: before }))!.draft.service.funder_id?.source.kind).not.toBe(
      "history",
    );
  });

  it("a second referral from an agency and insurer seen once is complete, and the approval takes it as drafted", async () => {
    const first = await storeReferral(db(), { agency: 2, insurer: "Bluebird Health Plan", service: "Skilled Nursing" });
    await approveWith(db(), env.reviewer, first.id, choice({ funderId: 9, serviceCodeId: 48, caseManager: DANA }));
    const second = await storeReferral(db(), { agency: 2, insurer: "Bluebird Health", service: "Skilled Nursing" });
    const drafted = (await draftApproval(db(), second.id))!;
    expect(drafted.draft.missing).toEqual([]);
    expect(drafted.draft.invalid).toEqual([]);
    expect(drafted.draft.complete).toBe(true);
    expect(drafted.draft.service.funder_id?.source).toMatchObject({ kind: "history", count: 1, of: 1 });

    // The page offers "Approve as drafted" with what goes to ACCloud, and the approval accepts those values.
    const view = await getApprovalView(db(), env.reviewer, { referralId: second.id, payload: null, editing: false });
    const editor = view?.panel.kind === "editor" ? view.panel.editor : null;
    expect(editor?.draft?.complete).toBe(true);
    const summary = editor!.draft!.asDrafted!.summary;
    expect(summary.find((s) => s.title === "Service")!.rows.find((r) => r.label === "Funder")).toMatchObject({
      value: "OptionCare CSI (single funder, 100%)",
      source: "chosen in 1 of 1 approval for ‘Bluebird Health’",
    });
    const r = await approveReferral(db(), env.reviewer, {
      referralId: second.id,
      version: drafted.row.version,
      approval: editor!.draft!.asDrafted!.values,
    });
    expect(r.status).toBe("success");
    // What was approved is history now: the next one counts two.
    const third = await storeReferral(db(), { agency: 2, insurer: "Bluebird Health", service: "Skilled Nursing" });
    expect((await draftApproval(db(), third.id))!.draft.service.funder_id?.source).toMatchObject({ count: 2, of: 2 });
  });

  it("is not complete where the approval would refuse a drafted value (a start more than a year back)", async () => {
    const { id } = await storeReferral(db(), {
      agency: 2,
      insurer: "Bluebird Health",
      service: "Skilled Nursing",
      start: "2023-05-31",
      end: "2023-07-31",
    });
    const d = (await draftApproval(db(), id))!.draft;
    expect(d.missing).toEqual([]);
    expect(d.invalid).toEqual([{ field: "startDate", message: "Start date cannot be more than 1 year in the past" }]);
    expect(d.complete).toBe(false);
  });

  it("the migration's backfill gives the rows the approvals recorded", async () => {
    const recorded = (await db().execute(sql`select * from approval_choices order by referral_request_id`)).rows;
    expect(recorded.length).toBeGreaterThan(5);
    const migration = readFileSync("db/migrations/0018_draft_history.sql", "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((s) => s.includes("INSERT INTO"))!;
    await db()
      .transaction(async (tx) => {
        await tx.execute(sql`delete from approval_choices`);
        await tx.execute(sql.raw(backfill));
        const filled = (await tx.execute(sql`select * from approval_choices order by referral_request_id`)).rows;
        expect(filled).toEqual(recorded);
        tx.rollback();
      })
      .catch((e: unknown) => {
        if ((e as Error).message !== "Rollback") throw e;
      });
  });
});
