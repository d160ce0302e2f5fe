/**
 * The document reader wired in, end to end: a delivery queues a document-read job per file in
 * its own statement, a real worker reads them (in its reader process) and stores the readings,
 * and the stored check answers with the corpus's expected verdicts and sources; an amendment
 * redoes the check from the stored readings; bad files end unreadable with their reasons while
 * the referral's order is still read and checked.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentReadings, referralFiles, referralRequests } from "../../db/schema";
import { systemActor, type Actor } from "../access/actors";
import { getDb } from "../db";
import type { Check } from "../documents/types";
import { getEnv, resetEnvCache } from "../env";
import { decodeFiles, describeFile, type DecodedFile } from "../intake/files";
import { ingestReferralRequest } from "../intake/ingest";
import { ZReferralRequest, type TReferralRequest } from "../intake/schema";
import { enqueueAll, QUEUES, stopSenderBosses } from "../jobs/queue";
import { getReferralChecks, type ChecksAnswer } from "../referrals/order-checks";
import { buildCase, type CorpusCase } from "../../test/documents/corpus";
import { encryptedPdf, manyPagePdf, pngClaiming, zipBytes } from "../../test/documents/files";
import { overlaps, truthInPixels } from "../../test/documents/measure";
import { makeUser } from "../../test/support/referrals";
import { until } from "../../test/support/wait";
import { handleDeadDocumentReadJob } from "./document-read";
import { startWorker, type Worker } from "./worker";

const db = () => getDb();
let worker: Worker | null = null;
let reviewer: Actor;

beforeAll(async () => {
  // A queue schema of this file's own: its worker takes only this file's jobs.
  process.env.JOB_QUEUE_SCHEMA = `pgboss_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  resetEnvCache();
  reviewer = await makeUser("reviewer");
});
afterAll(async () => {
  await worker?.stop();
  await stopSenderBosses();
});

const runWorker = async () => {
  worker ??= await startWorker({ concurrency: 1, documentConcurrency: 1, refreshReference: false });
};

/** A corpus case delivered as AlayaConnector delivers it (the files' bytes in base64). */
async function deliver(c: CorpusCase, extra: DecodedFile[] = []): Promise<{ id: string; payload: TReferralRequest }> {
  const payload = ZReferralRequest.parse({
    ...c.payload,
    request_id: randomUUID(),
    files: c.files.map((f) => ({ file_name: f.name, file_value: f.bytes.toString("base64") })),
  });
  const files = [...(await decodeFiles(payload.files ?? [], 50 * 1024 * 1024)), ...extra];
  const r = await ingestReferralRequest(db(), { payload, files, actor: systemActor("test") });
  return { id: r.id, payload };
}

const done = (id: string) =>
  until(
    `the check of ${id}`,
    async () => {
      const a = await getReferralChecks(db(), reviewer, id);
      return a?.status === "done" ? a : null;
    },
    { timeoutMs: 150_000, everyMs: 250 },
  );

/** The stored file ids of a referral by the names they were sent under. */
async function fileIdsByName(referralId: string): Promise<Map<string, string>> {
  const rows = await db()
    .select({ id: referralFiles.id, name: referralFiles.originalName })
    .from(referralFiles)
    .where(eq(referralFiles.referralRequestId, referralId));
  return new Map(rows.map((r) => [r.name, r.id]));
}

/** Each decided check's source lies on the value's printed box, on the order's page. */
function expectSourcesOnTarget(c: CorpusCase, checks: Check[], orderFileId: string, width: number) {
  const order = c.files.find((f) => f.isOrder)!;
  for (const check of checks.filter((x) => x.verdict === "match" || x.verdict === "mismatch")) {
    expect(check.source, check.field).not.toBeNull();
    expect(check.source!.file_id, check.field).toBe(orderFileId);
    const truths = c.truth.filter((t) => t.field === check.field && t.page === check.source!.page);
    const degrees = c.rotation[order.file_id]?.[check.source!.page - 1] ?? 0;
    expect(
      truths.some((t) => overlaps(check.source!.box, truthInPixels(t.box, degrees, width))),
      `${c.id} ${check.field} at ${JSON.stringify(check.source)}`,
    ).toBe(true);
  }
}

const verdicts = (a: ChecksAnswer) => Object.fromEntries(a.checks.map((c) => [c.field, c.verdict]));

describe("before the worker runs", () => {
  it("queues one document-read job per stored file, written as pg-boss writes a job of that queue", async () => {
    const c = await buildCase({ kind: "text-pdf", index: 3, extraFile: true });
    const { id } = await deliver(c);
    const schema = sql.raw(`"${getEnv().JOB_QUEUE_SCHEMA}"`);
    const columns = sql.raw(
      "name, priority, state, retry_limit, retry_count, retry_delay, retry_backoff, expire_in::text, dead_letter, policy, singleton_key, singleton_on, (keep_until - start_after)::text as kept, data",
    );
    const ours = await db().execute<Record<string, unknown>>(
      sql`select ${columns} from ${schema}.job where name = ${QUEUES.documentRead} and data->>'referralId' = ${id} order by data->>'fileId'`,
    );
    const fileIds = [...(await fileIdsByName(id)).values()].sort();
    expect(ours.rows.map((r) => (r.data as { fileId: string }).fileId)).toEqual(fileIds);
    // The same jobs as pg-boss's own insert writes them.
    const marker = randomUUID();
    await db().transaction((tx) => enqueueAll(tx, "documentRead", [{ referralId: marker, fileId: fileIds[0]! }]));
    const theirs = await db().execute<Record<string, unknown>>(
      sql`select ${columns} from ${schema}.job where name = ${QUEUES.documentRead} and data->>'referralId' = ${marker}`,
    );
    const strip = (r: Record<string, unknown>) => ({ ...r, data: null });
    expect(ours.rows.map(strip)).toEqual(fileIds.map(() => strip(theirs.rows[0]!)));
    expect(ours.rows[0]).toMatchObject({ retry_limit: 3, retry_backoff: true, dead_letter: QUEUES.documentReadDead });
    await db().execute(sql`delete from ${schema}.job where data->>'referralId' = ${marker}`);
  });

  // Before the worker runs: the job's own read would otherwise race the dead-letter handler.
  it("a read the reader crashed on every try ends the file unreadable with the reason, and the check goes on", async () => {
    const c = await buildCase({ kind: "text-pdf", index: 4, plant: [] });
    const { id } = await deliver(c);
    const fileId = [...(await fileIdsByName(id)).values()][0]!;
    // As pg-boss hands the dead-letter queue a job whose tries all failed.
    await handleDeadDocumentReadJob(db(), {
      data: { referralId: id, fileId },
      output: { name: "ReaderFailed", message: "the reader exited (134)" },
    } as never);
    const answer = await getReferralChecks(db(), reviewer, id);
    expect(answer?.documents).toEqual([
      {
        file_id: fileId,
        state: "unreadable",
        method: null,
        pages: null,
        reason: "the reader failed on this file 4 times (the reader exited (134))",
      },
    ]);
    expect(answer?.status).toBe("done");
    expect(new Set(answer?.checks.map((x) => x.verdict))).toEqual(new Set(["not_found"]));
  });
});

describe("reading and checking, through a real worker", () => {
  let text: CorpusCase;
  let scan: CorpusCase;
  let textId = "";

  beforeAll(async () => {
    [text, scan] = await Promise.all([
      buildCase({ kind: "text-pdf", index: 1 }),
      buildCase({ kind: "png", index: 0, diagnoses: 3 }),
    ]);
  });

  it("a text-PDF order and a scanned order end done, with the expected verdicts and sources", async () => {
    const t = await deliver(text);
    const s = await deliver(scan);
    textId = t.id;
    expect((await getReferralChecks(db(), reviewer, t.id))?.status).toBe("pending");
    await runWorker();

    for (const [c, ref] of [
      [text, t],
      [scan, s],
    ] as const) {
      const answer = await done(ref.id);
      const names = await fileIdsByName(ref.id);
      const orderId = names.get(c.files.find((f) => f.isOrder)!.name)!;
      expect(verdicts(answer), c.id).toEqual(c.expected);
      expect(answer.documents).toEqual([
        { file_id: orderId, state: "read", method: c.kind === "text-pdf" ? "text" : "ocr", pages: 1, reason: null },
      ]);
      const [page] = await db()
        .execute<{ width: number }>(sql`select width from document_pages where file_id = ${orderId} and page = 1`)
        .then((r) => r.rows);
      expectSourcesOnTarget(c, answer.checks, orderId, page!.width);
      // The queue's count: the fields the order disagrees with.
      const [row] = await db()
        .select({ n: referralRequests.orderMismatches })
        .from(referralRequests)
        .where(eq(referralRequests.id, ref.id));
      expect(row!.n).toBe(Object.values(c.expected).filter((v) => v === "mismatch").length);
    }
  });

  it("an amendment redoes the check against the new form, from the stored reading (the same bytes are not read again)", async () => {
    const before = await done(textId);
    expect(before.checks.find((c) => c.field === "client_birthday")!.verdict).toBe("match");
    const payload = ZReferralRequest.parse({
      ...text.payload,
      request_id: (
        await db()
          .select({ r: referralRequests.requestId })
          .from(referralRequests)
          .where(eq(referralRequests.id, textId))
      )[0]!.r,
      client: { ...(text.payload.client as object), birthday: "1901-02-03" },
      files: text.files.map((f) => ({ file_name: f.name, file_value: f.bytes.toString("base64") })),
    });
    const files = await decodeFiles(payload.files ?? [], 50 * 1024 * 1024);
    const r = await ingestReferralRequest(db(), { payload, files, actor: systemActor("test") });
    expect(r.outcome).toBe("amended");
    // At once: the stored check was made from the previous submission.
    expect((await getReferralChecks(db(), reviewer, textId))?.status).toBe("pending");
    const after = await done(textId);
    expect(after.checks.find((c) => c.field === "client_birthday")).toMatchObject({
      verdict: "mismatch",
      form: "1901-02-03",
    });
    const readings = await db()
      .select({ durationMs: documentReadings.durationMs })
      .from(documentReadings)
      .where(eq(documentReadings.referralRequestId, textId));
    expect(readings.map((x) => x.durationMs === 0).sort()).toEqual([false, true]);
  });

  it("bad files end unreadable, each with its reason; the order beside them is read and checked as usual", async () => {
    const order = await buildCase({ kind: "text-pdf", index: 2, plant: [] });
    const corrupt = Buffer.concat([order.files.find((f) => f.isOrder)!.bytes.subarray(0, 400), Buffer.from("%%EOF")]);
    const bad: Array<[string, Buffer]> = [
      ["encrypted.pdf", await encryptedPdf()],
      ["corrupt.pdf", corrupt],
      ["huge.pdf", manyPagePdf(10_000)],
      ["scan.png", zipBytes()],
      ["poster.png", pngClaiming(20_000, 20_000)],
    ];
    const extra = [
      ...(await Promise.all(bad.map(([name, bytes], i) => describeFile(10 + i, name, bytes)))),
      // A file sent with no bytes at all (the webhook stores none such; a stored one still ends with a reason).
      { ...(await describeFile(20, "empty.pdf", Buffer.from("x"))), data: Buffer.alloc(0), size: 0 },
    ];
    const { id } = await deliver(order, extra);
    await runWorker();
    const answer = await done(id);
    const names = await fileIdsByName(id);
    const stateOf = (name: string) => answer.documents.find((d) => d.file_id === names.get(name));
    expect(stateOf("encrypted.pdf")).toMatchObject({
      state: "unreadable",
      reason: expect.stringMatching(/password|encrypt/i),
    });
    expect(stateOf("corrupt.pdf")).toMatchObject({
      state: "unreadable",
      reason: expect.stringMatching(/corrupt|damaged|could not/i),
    });
    expect(stateOf("huge.pdf")).toMatchObject({
      state: "unreadable",
      pages: 10_000,
      reason: expect.stringMatching(/too many pages.*10000 pages.*at most 20/),
    });
    expect(stateOf("scan.png")).toMatchObject({ state: "unreadable", reason: expect.stringMatching(/zip/) });
    expect(stateOf("poster.png")).toMatchObject({
      state: "unreadable",
      reason: expect.stringMatching(/20000|too large|pixels/i),
    });
    expect(stateOf("empty.pdf")).toMatchObject({ state: "unreadable", reason: "the file is empty" });
    expect(verdicts(answer)).toEqual(order.expected);
    // No reason quotes the file's content.
    const client = order.payload.client as { last_name: string };
    expect(JSON.stringify(answer.documents)).not.toContain(client.last_name);
  });
});
