import { revalidatePath } from "next/cache";
import { z } from "zod";
import { sendDocuments } from "@/lib/approval/after-sending";
import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError, errorBrief } from "@/lib/errors";
import { MULTIPART_ENVELOPE_BYTES, crossSiteRefusal, readBoundedFormData } from "@/lib/http/request-guard";
import { logger } from "@/lib/log";
import { DOCUMENT_MAX_BYTES } from "@/lib/approval/after-sending-constants";
import { unstorableTextIssue } from "@/lib/validations/text";

export const dynamic = "force-dynamic";
const log = logger("documents");

const STATUS = { success: 201, invalid_data: 422, conflict: 409, forbidden: 403, failed: 404 } as const;
const ZForm = z.object({ version: z.coerce.number().int().positive() });
/** The file's 50 MB and the form around it; a body past this is refused before it is all read. */
const DOCUMENT_BODY_LIMIT = {
  limit: DOCUMENT_MAX_BYTES + MULTIPART_ENVELOPE_BYTES,
  path: "file",
  message: "The file is larger than 50 MB",
};

/**
 * Documents after sending (multipart/form-data: `version` and, to add one, `file`; without a file,
 * the latest submission's files ACCloud does not have yet). A route handler, not a server action:
 * server actions carry no files (their body limit stays 1 MB).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await routeActor("referral:decide");
  if (actor instanceof Response) return actor;
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return new ApiError("not_found", "No such referral request").toResponse();
  // Same-origin only: the session cookie must not let another site post documents.
  const refused = crossSiteRefusal(request);
  if (refused) return refused.toResponse();
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return new ApiError("unsupported_media_type", "Send multipart/form-data", [
      { path: "body", message: "multipart/form-data expected" },
    ]).toResponse();
  }
  let form: FormData;
  try {
    form = await readBoundedFormData(request, DOCUMENT_BODY_LIMIT);
  } catch (err) {
    if (err instanceof ApiError) return err.toResponse();
    throw err;
  }
  const fields = ZForm.safeParse({ version: form.get("version") });
  if (!fields.success)
    return new ApiError("invalid_data", "Check the form", [
      { path: "version", message: "the version of the page is needed" },
    ]).toResponse();
  const file = form.get("file");
  let upload: { name: string; data: Buffer } | undefined;
  // A file name PostgreSQL cannot store (a NUL, a lone surrogate) is refused the same on every try: a 422, not a 503.
  const badName = file instanceof File ? unstorableTextIssue(file.name) : null;
  if (badName)
    return new ApiError("invalid_data", "Check the file name", [
      { path: "file", message: `The file name ${badName}` },
    ]).toResponse();
  if (file instanceof File && file.size > 0) upload = { name: file.name, data: Buffer.from(await file.arrayBuffer()) };
  else if (file !== null && !(file instanceof File && file.size === 0))
    return new ApiError("invalid_data", "Check the form", [{ path: "file", message: "must be a file" }]).toResponse();
  try {
    const result = await sendDocuments(getDb(), actor, { referralId: id, version: fields.data.version, upload });
    if (result.status === "success") {
      revalidatePath(`/referrals/${id}`);
      log.info(`referral=${id} documents queued bytes=${upload?.data.length ?? 0}`);
    }
    return Response.json(result, { status: STATUS[result.status], headers: { "cache-control": "no-store" } });
  } catch (err) {
    log.error(`documents failed: ${errorBrief(err)}`);
    return new ApiError("unavailable", "Nothing was saved; try again", [], { "retry-after": "5" }).toResponse();
  }
}
