/**
 * The stored order check as the page, the API and the queue read it: "pending" until every
 * current file has its reading and the check was made from the latest submission and the current
 * files (an added document makes it pending at once), then the checks; the queue's count and its
 * "Order disagrees" filter, found through their partial indexes.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { referralFiles } from "../../db/schema";
import { getDb, type Db } from "../db";
import { readDocument } from "../documents/read";
import { parseQueueParams } from "../validations/queue";
import { recheckReferral } from "../worker/document-checks";
import { storeReading } from "../worker/document-read";
import { buildCase } from "../../test/documents/corpus";
import { makeOrderReferral } from "../../test/documents/order-referral";
import { actorsForFile, makeReferral } from "../../test/support/referrals";
import { listQueue } from "./queue";
import { readOrderView } from "./order-checks";

const db = () => getDb();
const actors = actorsForFile();

/** A referral whose only file is a corpus order (a text PDF: read in this process in a moment, no OCR). */
async function referralWithOrder(plant: Parameters<typeof buildCase>[0]["plant"] = []) {
  const c = await buildCase({ kind: "text-pdf", index: 5, plant });
  const { ref, order, fileId } = await makeOrderReferral(c);
  return { ref, c, fileId, bytes: order.bytes };
}

const readAndStore = async (referralId: string, fileId: string, bytes: Buffer) =>
  storeReading(db(), { fileId, referralId }, await readDocument(bytes, { images: true }), 1);

describe("the stored check", () => {
  it("is pending until its file is read and checked, then done with one check per field", async () => {
    const { ref, c, fileId, bytes } = await referralWithOrder(["client_birthday"]);
    expect(await readOrderView(db(), ref.id)).toMatchObject({
      status: "pending",
      documents: [],
      checks: [],
      files: [{ fileId, state: "waiting", pages: [] }],
    });
    await readAndStore(ref.id, fileId, bytes);
    // Read, not yet checked: still pending.
    expect((await readOrderView(db(), ref.id))?.status).toBe("pending");
    expect(await recheckReferral(db(), ref.id)).toEqual({ status: "done", mismatches: 1 });
    const view = (await readOrderView(db(), ref.id))!;
    expect(view.status).toBe("done");
    expect(view.orderFileId).toBe(fileId);
    expect(view.documents).toEqual([{ file_id: fileId, state: "read", method: "text", pages: 1, reason: null }]);
    expect(Object.fromEntries(view.checks.map((x) => [x.field, x.verdict]))).toEqual(c.expected);
    expect(view.files[0]!.pages).toEqual([{ page: 1, width: 1224, height: 1584 }]);
  });

  it("turns pending at once when a reviewer adds a document, and lists a copy of the same bytes as skipped", async () => {
    const { ref, fileId, bytes } = await referralWithOrder();
    await readAndStore(ref.id, fileId, bytes);
    await recheckReferral(db(), ref.id);
    expect((await readOrderView(db(), ref.id))?.status).toBe("done");
    const [added] = await db()
      .insert(referralFiles)
      .values({
        referralRequestId: ref.id,
        submissionId: null,
        idx: 0,
        originalName: "copy.pdf",
        safeName: "copy.pdf",
        contentType: "application/pdf",
        size: bytes.length,
        sha256: (await db().execute<{ sha256: string }>(sql`select sha256 from referral_files where id = ${fileId}`))
          .rows[0]!.sha256,
        data: bytes,
      })
      .returning({ id: referralFiles.id });
    const pending = (await readOrderView(db(), ref.id))!;
    expect(pending.status).toBe("pending");
    expect(pending.checks).toEqual([]);
    // The same bytes need no reading of their own: the check is done again at once.
    expect(await recheckReferral(db(), ref.id)).toMatchObject({ status: "done" });
    const view = (await readOrderView(db(), ref.id))!;
    expect(view.status).toBe("done");
    expect(view.documents.map((d) => [d.file_id, d.state])).toEqual([
      [fileId, "read"],
      [added!.id, "skipped"],
    ]);
  });
});

type PlanNode = { "Node Type": string; "Index Name"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The plans of the statements listQueue runs (each explained instead of run; the listing itself then fails, unread). */
async function plansOf(run: (db: Db) => Promise<unknown>): Promise<PlanNode[]> {
  const plans: PlanNode[] = [];
  await db().transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const explaining = {
      execute: async (q: ReturnType<typeof sql>) => {
        const r = await tx.execute<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(sql`explain (format json) ${q}`);
        plans.push(...nodes(r.rows[0]!["QUERY PLAN"][0]!.Plan));
        return { rows: [] };
      },
    } as unknown as Db;
    await run(explaining).catch(() => undefined);
  });
  return plans;
}

describe("the queue's order count and filter", () => {
  it("lists only the requests whose order disagrees, with their count", async () => {
    const orgId = randomUUID();
    const [a, b] = [await makeReferral({ orgId }), await makeReferral({ orgId })];
    await db().execute(sql`update referral_requests set order_mismatches = 2 where id = ${a.id}`);
    const rows = async (q: Record<string, string>) =>
      (await listQueue(db(), actors.reviewer, parseQueueParams({ agency: orgId, ...q }), null)).rows;
    expect((await rows({})).map((r) => [r.id, r.orderMismatches]).sort()).toEqual(
      [
        [a.id, 2],
        [b.id, 0],
      ].sort(),
    );
    for (const sort of ["received_desc", "due_asc"])
      expect((await rows({ disagrees: "1", sort })).map((r) => r.id)).toEqual([a.id]);
  });

  it("is found through the partial indexes of order_mismatches in either sort, not by walking the rows that agree", async () => {
    for (const [sort, index] of [
      ["received_desc", "referral_requests_order_mismatch_received"],
      ["due_asc", "referral_requests_order_mismatch_due"],
    ] as const) {
      const plans = await plansOf((x) =>
        listQueue(x, actors.reviewer, parseQueueParams({ disagrees: "1", sort }), null),
      );
      expect(plans.map((n) => n["Index Name"]).filter(Boolean), sort).toContain(index);
    }
  });
});
