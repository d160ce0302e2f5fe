/**
 * Step 5, the documents: the approved submission's files (or a documents push's own), once each,
 * keyed by sha256, to the referral's latest revision. A 409 means the same bytes are already there.
 */
import { and, eq, inArray } from "drizzle-orm";
import { referralFiles } from "../../../db/schema";
import { isAccloudError } from "../../accloud/errors";
import { latestReferral, linked, PushStoppedError, saveLink, type Ctx, type StepResult } from "../context";

/** Step 5: the approved submission's files (or a documents push's own), once each (keyed by sha256), to the latest revision. */
export async function stepAttachments(ctx: Ctx): Promise<StepResult> {
  const target = latestReferral(ctx);
  if (!target) throw new PushStoppedError("This referral was never sent: there is nothing to attach documents to");
  const fileIds = ctx.kind === "documents" ? (ctx.input.fileIds ?? []) : null;
  const files = await ctx.db
    .select({
      id: referralFiles.id,
      safeName: referralFiles.safeName,
      contentType: referralFiles.contentType,
      sha256: referralFiles.sha256,
      data: referralFiles.data,
    })
    .from(referralFiles)
    .where(
      fileIds
        ? and(
            eq(referralFiles.referralRequestId, ctx.referralId),
            inArray(referralFiles.id, fileIds.length ? fileIds : ["00000000-0000-0000-0000-000000000000"]),
          )
        : eq(referralFiles.submissionId, ctx.submissionId),
    )
    .orderBy(referralFiles.createdAt, referralFiles.idx);
  const paths: StepResult = [];
  for (const f of files) {
    const key = `file:${f.sha256}`;
    const existing = linked(ctx, "attachment", key);
    if (existing) {
      paths.push(existing);
      continue;
    }
    let filepath: string;
    try {
      filepath = (
        await ctx.client.uploadClientAttachment(target.id, {
          filename: f.safeName,
          contentType: f.contentType,
          data: f.data,
        })
      ).filepath;
    } catch (err) {
      // The same bytes are already attached (an earlier upload whose answer was lost).
      if (!(isAccloudError(err) && err.isConflict)) throw err;
      filepath = `(already attached) ${f.safeName}`;
    }
    saveLink(ctx, "attachment", key, filepath, { name: f.safeName }, f.id);
    paths.push(filepath);
  }
  return paths;
}
