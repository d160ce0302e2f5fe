/**
 * After sending: change a sent approval (an update: a new revision with reasons), cancel the
 * referral (a coded reason), and send documents (a reviewer's upload, or an amended submission's
 * files). Each is one transition; the ACCloud calls run as a durable push of its own kind.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { accloudLinks, approvalRevisions, pushes, referralFiles } from "../../db/schema";
import type { Actor } from "../access/actors";
import type { Db, TxDb } from "../db";
import { describeFile } from "../intake/files";
import { enqueue } from "../jobs/queue";
import { sentState } from "./sent-state";
import { canonical } from "../json/canonical";
import { refuseIfDifferentPerson } from "../workflow/different-person";
import { decidedBy } from "../workflow/decided";
import { listActiveReasons } from "../workflow/reasons";
import { checkTransitionScopes, invalidResult, refuse, transition, type LockedReferral } from "../workflow/transitions";
import { fieldErrorsOf } from "../validations/decisions";
import { ZCancelReferral, ZChangeApproval } from "./after-sending-schema";
import { CANCEL_REASON_LABELS, DOCUMENT_MAX_BYTES } from "./after-sending-constants";
import { unstorableTextIssue } from "../validations/text";
import { drawSecondReview } from "../second-review/reviews";
import { changesDatesOrLimits, planAuthorizations } from "./plan";
import { type OnReferral, type PushResult, checkAgainstReferenceData, nextRevisionNumber, queuePush } from "./approve";
import { recordChoice } from "../draft/history/record";

async function assertNoOpenPush(tx: TxDb, referralId: string) {
  const [open] = await tx
    .select({ id: pushes.id })
    .from(pushes)
    .where(and(eq(pushes.referralRequestId, referralId), inArray(pushes.status, ["queued", "running", "retrying"])))
    .limit(1);
  if (open) refuse.conflict("A push to ACCloud is still running for this referral: wait until it ends.");
}

/** The approval revision ACCloud works from (pushes of kind cancel and documents point at it). */
async function currentApproval(tx: TxDb, referralId: string): Promise<{ id: string }> {
  const [revision] = await tx
    .select({ id: approvalRevisions.id })
    .from(approvalRevisions)
    .where(and(eq(approvalRevisions.referralRequestId, referralId), eq(approvalRevisions.state, "approved")))
    .orderBy(desc(approvalRevisions.revision))
    .limit(1);
  return revision ?? refuse.conflict("No approval of this referral was sent.");
}

async function latestReferralLink(tx: TxDb, row: LockedReferral) {
  const links = await tx
    .select({ key: accloudLinks.localKey, id: accloudLinks.accloudId })
    .from(accloudLinks)
    .where(
      and(
        eq(accloudLinks.referralRequestId, row.id),
        eq(accloudLinks.kind, "referral"),
        inArray(accloudLinks.localKey, ["latest", "referral"]),
      ),
    );
  return links.find((l) => l.key === "latest")?.id ?? links.find((l) => l.key === "referral")?.id ?? null;
}

/** The editor's field paths: the approval's own fields at the top, as the editor names them. */
function editorFieldErrors(errors: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [k.startsWith("approval.") ? k.slice("approval.".length) : k, v]),
  );
}

/**
 * "Send update": the changed approval becomes revision n+1 (kind update) with its reasons; a push of
 * kind update PUTs or replaces the authorizations, updates the client and service when they
 * changed, and asks ACCloud for a new referral revision. The service code, funder, care type and
 * agency are fixed once sent (ACCloud has no way to change them in place).
 */
export async function changeApproval(db: Db, actor: Actor, input: unknown): Promise<PushResult> {
  const denied = checkTransitionScopes("change_approval", actor);
  if (denied) return denied;
  const parsed = ZChangeApproval.safeParse(input);
  if (!parsed.success) return invalidResult(editorFieldErrors(fieldErrorsOf(parsed.error)));
  const { approval, reasons } = parsed.data;
  const refErrors = await checkAgainstReferenceData(db, approval);
  if (Object.keys(refErrors).length)
    return invalidResult(refErrors, refErrors._form?.[0] ?? "Some fields do not match ACCloud.");

  return transition(db, actor, {
    name: "change_approval",
    id: parsed.data.referralId,
    version: parsed.data.version,
    apply: async ({ tx, row }) => {
      await assertNoOpenPush(tx, row.id);
      const sent = await sentState(tx, row.id);
      if (!sent) refuse.conflict("This referral has not reached ACCloud yet: there is nothing to update.");
      // The update would pin the latest submission and PUT its person onto the client another person's referral made.
      await refuseIfDifferentPerson(tx, row);
      const fixed: Record<string, string[]> = {};
      const was = sent!.approval;
      if (approval.serviceCodeId !== was.serviceCodeId)
        fixed.serviceCodeId = [
          "ACCloud cannot change the service code of a sent referral: cancel it and approve a new one",
        ];
      if (approval.funderId !== was.funderId)
        fixed.funderId = ["ACCloud cannot change the funder of a sent referral: cancel it and approve a new one"];
      if (approval.careType !== was.careType)
        fixed.careType = ["ACCloud cannot change the care type of a sent referral"];
      if (approval.supplyPersonaId.toLowerCase() !== row.agencyOrgId.toLowerCase())
        fixed.supplyPersonaId = ["The referral goes back to the requesting agency"];
      if (Object.keys(fixed).length) refuse.invalid(fixed, "Part of this change cannot be sent as an update.");
      const [sentRevision] = await tx
        .select({ submissionId: approvalRevisions.submissionId })
        .from(approvalRevisions)
        .where(eq(approvalRevisions.id, sent!.revisionId));
      if (canonical(approval) === canonical(was) && sentRevision?.submissionId === row.latestSubmissionId) {
        refuse.invalid(
          { _form: ["Nothing changed: edit the approval first (or send new documents from the Documents panel)."] },
          "Nothing changed.",
        );
      }

      const known = reasons.reasonCodes.length
        ? (await listActiveReasons(tx, "update")).filter((r) => reasons.reasonCodes.includes(r.code))
        : [];
      if (known.length !== new Set(reasons.reasonCodes).size)
        refuse.invalid({ "reasons.reasonCodes": ["Choose reasons from the list"] });
      const labels = [
        ...reasons.reasonCodes.map((c) => known.find((k) => k.code === c)!.label),
        ...(reasons.otherReason ? [reasons.otherReason] : []),
      ];

      const revision = await nextRevisionNumber(tx, row.id);
      const now = new Date();
      const [rev] = await tx
        .insert(approvalRevisions)
        .values({
          referralRequestId: row.id,
          revision,
          state: "approved",
          kind: "update",
          data: approval,
          submissionId: row.latestSubmissionId,
          supersedesId: sent!.revisionId,
          reasons: labels,
          revisionComment: reasons.revisionComment ?? null,
          createdById: actor.id,
          approvedById: actor.id,
          approvedAt: now,
        })
        .returning({ id: approvalRevisions.id });
      await recordChoice(tx, {
        referralId: row.id,
        revisionId: rev!.id,
        submissionId: row.latestSubmissionId,
        approvedAt: now,
        choice: approval,
      });
      const pushId = await queuePush(tx, actor, { referralId: row.id, revisionId: rev!.id, kind: "update" });
      const plan = planAuthorizations(was, approval);
      // New dates or limits are drawn for a second review like a first approval (lib/second-review/reviews.ts, lib/approval/plan.ts).
      const secondReview = changesDatesOrLimits(was, approval)
        ? await drawSecondReview(tx, { referralId: row.id, revisionId: rev!.id, approvedById: actor.id })
        : {};
      return {
        to: "approved",
        set: decidedBy(actor, row, now),
        audit: {
          action: "referral.update_requested",
          details: {
            revision,
            pushId,
            // The chosen reasons apart from the reviewer's own words (free text: lib/audit/free-text.ts).
            reasons: reasons.reasonCodes.map((c) => known.find((k) => k.code === c)!.label),
            otherReason: reasons.otherReason || null,
            revisionComment: reasons.revisionComment ?? null,
            authorizations: plan.map((p) => ({ index: p.index, action: p.action, changed: p.changed })),
            startDate: approval.startDate,
            endDate: approval.endDate,
            ...secondReview,
          },
        },
        enqueue: { pushId },
        message: `Update sent as revision ${revision}: on its way to ACCloud`,
        data: { pushId },
      };
    },
  });
}

/**
 * "Cancel referral": a coded reason (and a comment) go to ACCloud from the latest revision as a
 * push of kind cancel. A referral ACCloud never received (its first push failed before the
 * referral step) is cancelled here alone.
 */
export async function cancelReferral(db: Db, actor: Actor, input: unknown): Promise<PushResult> {
  const denied = checkTransitionScopes("cancel", actor);
  if (denied) return denied;
  const parsed = ZCancelReferral.safeParse(input);
  if (!parsed.success) return invalidResult(fieldErrorsOf(parsed.error));
  const { reasonCode, comment } = parsed.data;
  return transition<{ pushId?: string }>(db, actor, {
    name: "cancel",
    id: parsed.data.referralId,
    version: parsed.data.version,
    apply: async ({ tx, row }) => {
      await assertNoOpenPush(tx, row.id);
      const decided = {
        decidedById: actor.id,
        decidedAt: new Date(),
        decisionReasonCode: reasonCode,
        decisionComment: comment ?? null,
        amendedAfterDecisionAt: null,
      };
      const details = { reasonCode, reason: CANCEL_REASON_LABELS[reasonCode], comment: comment ?? null };
      if (!(await latestReferralLink(tx, row))) {
        return {
          to: "cancelled",
          set: decided,
          audit: { action: "referral.cancelled", details: { ...details, inAccloud: false } },
          message: "Cancelled (ACCloud never received the referral).",
          data: {},
        };
      }
      const revision = await currentApproval(tx, row.id);
      const pushId = await queuePush(tx, actor, {
        referralId: row.id,
        revisionId: revision.id,
        kind: "cancel",
        input: { reasonCode, comment: comment ?? null },
      });
      return {
        to: "cancelling",
        set: decided,
        audit: { action: "referral.cancel_requested", details: { ...details, pushId } },
        enqueue: { pushId },
        message: "Cancel requested: on its way to ACCloud.",
        data: { pushId },
      };
    },
  });
}

export type DocumentUpload = { name: string; data: Buffer };
/** What ACCloud takes as an attachment (its extension list, §12.13). */
const ACCEPTED_EXTENSIONS = new Set(["pdf", "png", "jpg", "jpeg", "gif", "tif", "tiff", "doc", "docx", "txt", "rtf"]);

/**
 * Documents after sending: with `upload`, a reviewer's document (at most 50 MB, its type sniffed
 * from the bytes); without, the files of the latest (amended) submission ACCloud does not have yet.
 * Idempotent on each file's sha256: bytes already attached are never sent twice.
 */
/** A document a reviewer added is read for the order check (the document-read job), in the same transaction. */
async function readLater(tx: TxDb, referralId: string, inserted: Array<{ id: string }>): Promise<string> {
  const id = inserted[0]!.id;
  await enqueue(tx, "documentRead", { referralId, fileId: id });
  return id;
}

export async function sendDocuments(
  db: Db,
  actor: Actor,
  input: OnReferral<{ upload?: DocumentUpload }>,
): Promise<PushResult> {
  const denied = checkTransitionScopes("add_documents", actor);
  if (denied) return denied;
  let file: Awaited<ReturnType<typeof describeFile>> | undefined;
  if (input.upload) {
    const badName = unstorableTextIssue(input.upload.name);
    if (badName) return invalidResult({ file: [`The file name ${badName}`] });
    if (input.upload.data.length === 0) return invalidResult({ file: ["The file is empty"] });
    if (input.upload.data.length > DOCUMENT_MAX_BYTES)
      return invalidResult({
        file: [`The file is larger than 50 MB (${input.upload.data.length.toLocaleString("en-US")} bytes)`],
      });
    file = await describeFile(0, input.upload.name.slice(0, 200), input.upload.data);
    const ext = file.safeName.split(".").pop() ?? "";
    if (!ACCEPTED_EXTENSIONS.has(ext))
      return invalidResult({
        file: [`ACCloud takes PDF, images, Word and text documents; this file is ${file.contentType}`],
      });
  }
  return transition<{ pushId?: string }>(db, actor, {
    name: "add_documents",
    id: input.referralId,
    version: input.version,
    apply: async ({ tx, row }) => {
      const attached = new Set(
        (
          await tx
            .select({ key: accloudLinks.localKey })
            .from(accloudLinks)
            .where(and(eq(accloudLinks.referralRequestId, row.id), eq(accloudLinks.kind, "attachment")))
        ).map((l) => l.key),
      );
      let fileIds: string[];
      if (file) {
        if (attached.has(`file:${file.sha256}`))
          return { noop: true, audit: { action: "" }, message: "ACCloud has this document already.", data: {} };
        const [same] = await tx
          .select({ id: referralFiles.id })
          .from(referralFiles)
          .where(and(eq(referralFiles.referralRequestId, row.id), eq(referralFiles.sha256, file.sha256)))
          .limit(1);
        const id =
          same?.id ??
          (await readLater(
            tx,
            row.id,
            await tx
              .insert(referralFiles)
              .values({
                referralRequestId: row.id,
                submissionId: null,
                uploadedById: actor.id,
                idx: 0,
                originalName: file.originalName,
                safeName: file.safeName,
                contentType: file.contentType,
                size: file.size,
                sha256: file.sha256,
                data: file.data,
              })
              .returning({ id: referralFiles.id }),
          ));
        fileIds = [id];
      } else {
        // Another person's files never go to this person's referral.
        await refuseIfDifferentPerson(tx, row);
        const latest = row.latestSubmissionId
          ? await tx
              .select({ id: referralFiles.id, sha256: referralFiles.sha256 })
              .from(referralFiles)
              .where(eq(referralFiles.submissionId, row.latestSubmissionId))
          : [];
        fileIds = latest.filter((f) => !attached.has(`file:${f.sha256}`)).map((f) => f.id);
        if (!fileIds.length)
          refuse.invalid({ _form: ["ACCloud has every file of the latest submission already."] }, "Nothing to send.");
      }
      await assertNoOpenPush(tx, row.id);
      const revision = await currentApproval(tx, row.id);
      const pushId = await queuePush(tx, actor, {
        referralId: row.id,
        revisionId: revision.id,
        kind: "documents",
        input: { fileIds },
      });
      const sending = await tx
        .select({ sha256: referralFiles.sha256, size: referralFiles.size, contentType: referralFiles.contentType })
        .from(referralFiles)
        .where(inArray(referralFiles.id, fileIds));
      return {
        audit: {
          action: file ? "referral.document_added" : "referral.documents_resent",
          details: { pushId, files: sending },
        },
        enqueue: { pushId },
        message: file
          ? "Document added: on its way to ACCloud."
          : `Sending ${fileIds.length} file${fileIds.length === 1 ? "" : "s"} of the latest submission to ACCloud.`,
        data: { pushId },
      };
    },
  });
}
