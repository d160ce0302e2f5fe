import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { decodeFiles, type DecodedFile } from "@/lib/intake/files";
import { readDelivery } from "@/lib/intake/delivery";
import { insertNewRequest } from "@/lib/intake/new-request";
import type { TReferralRequest } from "@/lib/intake/schema";
import { checkDuplicates } from "@/lib/workflow/duplicates";

export const dynamic = "force-dynamic";

/** Each distinct set of file values, decoded once: the ceiling does no decoding per request. */
const decoded = new Map<string, DecodedFile[]>();
async function filesOf(payload: TReferralRequest): Promise<DecodedFile[]> {
  const files = payload.files ?? [];
  const key = files.map((f) => f.file_value).join("\n");
  let out = decoded.get(key);
  if (!out) {
    out = await decodeFiles(files, getEnv().WEBHOOK_FILE_LIMIT_BYTES);
    if (decoded.size < 16) decoded.set(key, out);
  }
  return out;
}

/**
 * The same-work ceiling of `npm run bench:intake`: the webhook's own insert chain
 * (readDelivery and insertNewRequest, the same code) and its duplicate check (checkDuplicates)
 * for the body as it came, without
 * authentication, validation or file decoding. The sender's API client id comes in a header
 * (x-bench-api-client: id and name), so the rows and their foreign keys are the webhook's.
 * Only in a build made with BENCH_BASELINE=1.
 */
export async function POST(request: Request) {
  const payload = JSON.parse(await request.text()) as TReferralRequest;
  const [id = "", name = "bench"] = (request.headers.get("x-bench-api-client") ?? "").split(":");
  const delivery = readDelivery({
    payload,
    files: await filesOf(payload),
    actor: { type: "api_client", id, label: name },
    apiClientId: id,
  });
  const created = await insertNewRequest(getDb(), delivery);
  if (!created) return Response.json({ error: "conflict" }, { status: 409 });
  // The webhook checks each stored request for possible duplicates after storing it: the same work.
  await checkDuplicates(getDb(), created.id);
  return Response.json(
    { id: created.id, request_id: delivery.requestId, status: created.status },
    { status: 201, headers: { location: `/referrals/${created.id}`, "cache-control": "no-store" } },
  );
}
