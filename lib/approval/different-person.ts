/**
 * The two ways out of "different person" (an amendment naming another client than the one the
 * referral's ACCloud client stands for; lib/form/identity.ts has the rule):
 *  - confirm it is the same person (a correction: married name, a mistyped birthday), with a note:
 *    the latest submission becomes the client's person and "Send update" may send it;
 *  - once the referral is cancelled (in ACCloud, "Cancel referral"), continue with the new person
 *    as a referral request of its own: approved like any other, its push creates a NEW ACCloud
 *    client and service, and the first person's client is never touched again.
 * Each is one transition with its audit record.
 */
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { accloudLinks, referralRequests, referralSubmissions } from "../../db/schema";
import { recordAudit } from "../audit/record";
import type { Actor } from "../access/actors";
import type { Db } from "../db";
import { getEnv } from "../env";
import { queueColumns } from "../intake/delivery";
import type { TReferralRequest } from "../intake/schema";
import { clientExternalId } from "../form/identity";
import { identityOf } from "../form/identity";
import { readDifferentPerson } from "../workflow/different-person";
import {
  checkTransitionScopes,
  invalidResult,
  refuse,
  transition,
  type TransitionResult,
} from "../workflow/transitions";
import {
  fieldErrorsOf,
  ZConfirmSamePersonInput,
  ZContinueAsNewClientInput,
  type TConfirmSamePersonInput,
  type TContinueAsNewClientInput,
} from "../validations/decisions";

const NOT_MARKED =
  "This referral is not marked as a different person (an amendment or a reviewer changed it meanwhile).";

/** "It is the same person": the latest submission becomes the person of the referral's ACCloud client. */
export async function confirmSamePerson(
  db: Db,
  actor: Actor,
  input: TConfirmSamePersonInput,
): Promise<TransitionResult> {
  const denied = checkTransitionScopes("confirm_same_person", actor);
  if (denied) return denied;
  const parsed = ZConfirmSamePersonInput.safeParse(input);
  if (!parsed.success) return invalidResult(fieldErrorsOf(parsed.error));
  const { referralId, version, note } = parsed.data;
  return transition(db, actor, {
    name: "confirm_same_person",
    id: referralId,
    version,
    apply: async ({ tx, row }) => {
      const marked = await readDifferentPerson(tx, row);
      if (!marked) refuse.conflict(NOT_MARKED);
      return {
        set: { identitySubmissionId: row.latestSubmissionId, differentPersonAt: null },
        audit: {
          action: "referral.same_person_confirmed",
          // What differed, in words; the note is free text (lib/audit/free-text.ts), never a name or a date copied here by the app.
          details: {
            submission: marked!.latest.seq,
            identitySubmission: marked!.identity.seq,
            differences: marked!.differences,
            note,
          },
        },
        message: "Confirmed as the same person: an update may now send the corrected details to ACCloud.",
        data: {},
      };
    },
  });
}

/** The request_id of a continuation: a UUID (ACCloud's service_id takes it) derived from the request and the submission it starts from. */
export function continuationRequestId(requestId: string, submissionId: string): string {
  const h = createHash("sha256").update(`csi-referral-request|new-client|${requestId}|${submissionId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * "Approve as a new client", on a referral marked "different person" and cancelled: the latest
 * submission (its payload and files) becomes a new referral request that continues this one. Its
 * own request_id makes a new ACCloud service; its client is keyed `<org>:<agency client id>`, or,
 * when the agency sent the new person under the same client id the first person's ACCloud client
 * has, `<org>:<agency client id>:<new request_id>`, so the push creates a NEW client instead of
 * finding the first person's. The agency's later deliveries under the old request_id go to it.
 */
export async function continueAsNewClient(
  db: Db,
  actor: Actor,
  input: TContinueAsNewClientInput,
): Promise<TransitionResult<{ newReferralId?: string }>> {
  const denied = checkTransitionScopes("continue_as_new_client", actor);
  if (denied) return denied;
  const parsed = ZContinueAsNewClientInput.safeParse(input);
  if (!parsed.success) return invalidResult(fieldErrorsOf(parsed.error));
  return transition<{ newReferralId?: string }>(db, actor, {
    name: "continue_as_new_client",
    id: parsed.data.referralId,
    version: parsed.data.version,
    apply: async ({ tx, row }) => {
      const marked = await readDifferentPerson(tx, row);
      if (!marked) refuse.conflict(NOT_MARKED);
      // The intake's lock on the request_id (lib/intake/ingest.ts): a delivery either finished before, or waits and then finds the
      // continuation. Tried, not waited for: the intake takes it before the row's lock, so waiting here could deadlock.
      const locked = await tx.execute<{ ok: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtextextended(${`referral:${row.requestId}`}, 0)) as ok`,
      );
      if (!locked.rows[0]?.ok)
        refuse.conflict("The agency is sending an amendment of this referral right now: look at it, then try again.");
      const [already] = await tx
        .select({ id: referralRequests.id })
        .from(referralRequests)
        .where(eq(referralRequests.continuesId, row.id))
        .limit(1);
      if (already) refuse.conflict("This referral already continues as a new client.");
      const [latest] = await tx
        .select()
        .from(referralSubmissions)
        .where(eq(referralSubmissions.id, row.latestSubmissionId!));
      if (!latest) throw new Error("referral request without its latest submission");

      // The external id the first person's client has in ACCloud (as its push saved it), else the one it would get.
      const [link] = await tx
        .select({ meta: accloudLinks.meta })
        .from(accloudLinks)
        .where(
          and(
            eq(accloudLinks.referralRequestId, row.id),
            eq(accloudLinks.kind, "client"),
            eq(accloudLinks.localKey, "client"),
          ),
        );
      const first = marked!.identity.person;
      const firstExternalId =
        (link?.meta.externalId as string | undefined) ??
        row.accloudClientExternalId ??
        clientExternalId(first.agencyOrgId, first.agencyClientId ?? 0);
      const person = identityOf(latest.payload);
      const natural = clientExternalId(person.agencyOrgId, person.agencyClientId ?? 0);
      const requestId = continuationRequestId(row.requestId, latest.id);
      const ownExternalId = natural === firstExternalId ? `${natural}:${requestId}` : null;

      const now = new Date();
      const newId = randomUUID();
      const submissionId = randomUUID();
      await tx.insert(referralRequests).values({
        id: newId,
        requestId,
        requestIdDerived: true,
        latestSubmissionId: submissionId,
        ...queueColumns(latest.payload as TReferralRequest),
        receivedAt: latest.receivedAt,
        updatedAt: now,
        slaDueAt: new Date(now.getTime() + getEnv().REVIEW_SLA_HOURS * 3_600_000),
        continuesId: row.id,
        accloudClientExternalId: ownExternalId,
      });
      await tx.insert(referralSubmissions).values({
        id: submissionId,
        referralRequestId: newId,
        seq: 1,
        contentHash: latest.contentHash,
        payload: latest.payload,
        apiClientId: latest.apiClientId,
        receivedAt: latest.receivedAt,
      });
      // The submission's files, copied in the database (the bytes never pass through this process).
      await tx.execute(sql`
        insert into referral_files (referral_request_id, submission_id, idx, original_name, safe_name, content_type, size, sha256, data)
        select ${newId}::uuid, ${submissionId}::uuid, idx, original_name, safe_name, content_type, size, sha256, data
        from referral_files where submission_id = ${latest.id}`);
      await recordAudit(tx, {
        actor,
        action: "referral.continues_as_new_client",
        entityType: "referral_request",
        entityId: newId,
        details: {
          continuesId: row.id,
          requestId,
          fromSubmission: latest.seq,
          ownClientExternalId: ownExternalId !== null,
        },
      });
      return {
        set: { differentPersonAt: null, amendedAfterDecisionAt: null },
        audit: {
          action: "referral.continued_as_new_client",
          details: {
            newReferralId: newId,
            newRequestId: requestId,
            submission: latest.seq,
            differences: marked!.differences,
          },
        },
        message: "The new person is a referral request of its own: approve it there, as a new client.",
        data: { newReferralId: newId },
      };
    },
  });
}
