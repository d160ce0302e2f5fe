/**
 * The published files this code is checked against, copied verbatim into reference/ (see
 * reference/README.md) so a clone needs nothing beside it. Paths are from the repository root:
 * the launcher, Vitest, Playwright and the scripts all run there.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { TReferralRequest } from "../intake/schema";

export const referenceDir = path.resolve(process.cwd(), "reference");

export const referenceFile = (name: string) => path.join(referenceDir, name);

/** AlayaConnector's example delivery, parsed afresh on every call so callers may change it. */
export function readReferencePayload(): TReferralRequest & Record<string, unknown> {
  return JSON.parse(readFileSync(referenceFile("new_referral_request_payload.json"), "utf8")) as TReferralRequest &
    Record<string, unknown>;
}
