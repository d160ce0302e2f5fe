/**
 * Request and response shapes of the ACCloud endpoints the product uses
 * (reference/accloud-contract.md). Requests are strict: an unknown or mistyped field
 * is refused before anything is sent. Responses are loose: extra fields are kept, and where the
 * published specs disagree (contract §10) the looser reading is accepted.
 */
// The shapes live per resource in the schemas-*.ts files beside this one; callers import them from here.
export {
  ATTACHMENT_MAX_BYTES,
  AUTHORIZATION_METHODOLOGIES,
  CANCEL_REASON_CODES,
  FUNDING_METHODOLOGIES,
  LANGUAGE_CODES,
  ZErrorBody,
  pageA,
  pageB,
  type PageA,
  type PageB,
} from "./schemas-common";
export * from "./schemas-reference";
export * from "./schemas-clients";
export * from "./schemas-authorizations";
export * from "./schemas-referrals";
