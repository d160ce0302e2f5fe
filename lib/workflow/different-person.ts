/**
 * The "different person" mark of a referral, read from the database: which submission the ACCloud
 * client stands for, which one is the latest, and what of the person differs (lib/form/identity.ts
 * has the rule). No "server-only": the push worker reads it too.
 */
import { eq, inArray } from "drizzle-orm";
import { referralSubmissions, type ReferralRequest } from "../../db/schema";
import type { TxDb } from "../db";
import { refuse } from "./transitions";
import {
  differentPersonReason,
  identityDifferences,
  identityOf,
  type ClientIdentity,
  type IdentityDifference,
} from "../form/identity";

export type DifferentPerson = {
  /** the submission the ACCloud client stands for, and its person */
  identity: { seq: number; person: ClientIdentity };
  /** the latest submission, and its person */
  latest: { seq: number; person: ClientIdentity };
  differences: IdentityDifference[];
  reason: string;
  since: Date;
};

type Marked = Pick<ReferralRequest, "identitySubmissionId" | "latestSubmissionId" | "differentPersonAt">;

/** The mark with what differs; null when the referral is not marked. */
export async function readDifferentPerson(db: TxDb, row: Marked): Promise<DifferentPerson | null> {
  if (!row.differentPersonAt || !row.identitySubmissionId || !row.latestSubmissionId) return null;
  const subs = await db
    .select({ id: referralSubmissions.id, seq: referralSubmissions.seq, payload: referralSubmissions.payload })
    .from(referralSubmissions)
    .where(inArray(referralSubmissions.id, [row.identitySubmissionId, row.latestSubmissionId]));
  const identity = subs.find((s) => s.id === row.identitySubmissionId);
  const latest = subs.find((s) => s.id === row.latestSubmissionId);
  if (!identity || !latest) return null;
  return { ...comparePersons(identity, latest), since: row.differentPersonAt };
}

type Submission = { seq: number; payload: unknown };

/** The persons of the submission the ACCloud client stands for and of the latest one, and what differs. */
export function comparePersons(identity: Submission, latest: Submission): Omit<DifferentPerson, "since"> {
  const before = identityOf(identity.payload);
  const after = identityOf(latest.payload);
  const differences = identityDifferences(before, after);
  return {
    identity: { seq: identity.seq, person: before },
    latest: { seq: latest.seq, person: after },
    differences,
    reason: differentPersonReason(differences),
  };
}

/** Inside a transition: refuses (invalid_data, the reason on the form) while the referral is marked. */
export async function refuseIfDifferentPerson(tx: TxDb, row: Marked): Promise<void> {
  if (!row.differentPersonAt) return;
  const marked = await readDifferentPerson(tx, row);
  const reason = marked?.reason ?? differentPersonReason([]);
  refuse.invalid({ _form: [reason] }, reason);
}

/** The person a submission names (the push compares what it is about to send with the client's person). */
export async function personOfSubmission(db: TxDb, submissionId: string): Promise<ClientIdentity | null> {
  const [s] = await db
    .select({ payload: referralSubmissions.payload })
    .from(referralSubmissions)
    .where(eq(referralSubmissions.id, submissionId));
  return s ? identityOf(s.payload) : null;
}
