/**
 * The replay of scripts/measure-drafts.ts on a small generated history: approvals made by the
 * real approval code over a simulated year, each then drafted from the history before it alone.
 * The first approval has no history; later ones learn; what the reviewers chose most, the draft
 * suggests most. In a database of its own, so the history is exactly the generated one.
 */
import { describe, expect, it } from "vitest";
import { draftApproval } from "../../approval/draft-view";
import { getDb } from "../../db";
import { sql } from "drizzle-orm";
import { COMPARED, LEARNED, generateHistory, keptShare, replayHistory } from "../../../test/support/draft-history";
import { ownDatabaseForFile } from "../../../test/support/own-database";

const env = ownDatabaseForFile("draft_replay");

describe("replaying a generated history", () => {
  it(
    "drafts each approval from the ones before it only, and keeps most of what it suggests",
    { timeout: 300_000 },
    async () => {
      const db = getDb();
      await generateHistory(db, env.reviewer, { count: 40, seed: 7 });
      const r = await replayHistory(db);
      expect(r.drafts).toBe(40);

      // The first approval had nothing before it: no suggestion from history, so not complete.
      const [first] = (
        await db.execute<{ id: string; at: Date }>(
          sql`select referral_request_id as id, approved_at as at from approval_choices order by approved_at limit 1`,
        )
      ).rows;
      const d = (await draftApproval(db, first!.id, { asOf: new Date(first!.at), signals: false }))!.draft;
      expect(d.case_manager.name).toBeNull();
      expect(d.service.funder_id?.source.kind ?? "none").not.toBe("history");
      expect(d.complete).toBe(false);
      // …while drafted today (with every approval before it in the history but its own) it learns.
      const today = (await draftApproval(db, first!.id, { signals: false }))!.draft;
      expect(today.case_manager.name?.source.kind).toBe("history");

      // The form's values are always suggested; the learned ones once there is history.
      expect(r.fields.startDate.suggested).toBe(40);
      expect(r.fields.funderId.suggested).toBeGreaterThan(30);
      expect(r.fields["caseManager.name"].suggested).toBeGreaterThan(30);
      // The simulated reviewers follow the insurer 93% of the time, so most funder suggestions are kept.
      expect(r.fields.funderId.kept / r.fields.funderId.suggested).toBeGreaterThan(0.7);
      expect(keptShare(r, LEARNED)).toBeGreaterThan(0.6);
      expect(keptShare(r, LEARNED)).toBeLessThanOrEqual(keptShare(r, COMPARED));
      expect(r.complete).toBeGreaterThan(10);
      expect(r.complete).toBeLessThan(40);
      console.log(
        `draft replay (40 generated approvals): complete ${r.complete}/40, kept ${keptShare(r, LEARNED).toFixed(3)} of the learned suggestions`,
      );
    },
  );
});
