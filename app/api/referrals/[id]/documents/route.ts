import { revalidatePath } from "next/cache";
import { z } from "zod";
import { sendDocuments } from "@/lib/approval/lifecycle";
import { routeActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { DOCUMENT_MAX_BYTES } from "@/lib/validations/lifecycle-constants";

export const dynamic = "force-dynamic";
const log = logger("documents");

const STATUS = { success: 201, invalid_data: 422, conflict: 409, forbidden: 403, failed: 404 } as const;
const ZForm = z.object({ version: z.coerce.number().int().positive() });

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
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin) return new ApiError("forbidden", "Cross-site request refused").toResponse();
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > DOCUMENT_MAX_BYTES + 64 * 1024)
    return new ApiError("payload_too_large", "The file is larger than 50 MB", [{ path: "file", message: "at most 50 MB" }]).toResponse();
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return new ApiError("unsupported_media_type", "Send multipart/form-data", [{ path: "body", message: "multipart/form-data expected" }]).toResponse();
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new ApiError("bad_request", "The form could not be read", [{ path: "body", message: "malformed multipart body" }]).toResponse();
  }
  const fields = ZForm.safeParse({ version: form.get("version") });
  if (!fields.success) return new ApiError("invalid_data", "Check the form", [{ path: "version", message: "the version of the page is needed" }]).toResponse();
  const file = form.get("file");
  let upload: { name: string; data: Buffer } | undefined;
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
    const e = err as { name?: string; code?: string };
    log.error(`documents failed: ${e.name ?? "Error"}${e.code ? ` (${e.code})` : ""}`);
    return new ApiError("unavailable", "Nothing was saved; try again", [], { "retry-after": "5" }).toResponse();
  }
}
