/**
 * The approval editor's constants, without zod: the browser reads them on the referral page's
 * first load, while the schema (and zod) load only when a form validates (`lazyZodResolver`).
 */
import { AUTHORIZATION_FIELDS, type AuthorizationFieldRow, type AuthorizationValues } from "./authorization-fields";

export { FIRST_DAY_LABELS, WEEKDAYS, type Weekday } from "./authorization-fields";

/** A new authorization: every field of the table at its default (each key present). */
export const emptyAuthorization = (): AuthorizationValues =>
  Object.fromEntries(
    AUTHORIZATION_FIELDS.map((f: AuthorizationFieldRow) => [
      f.key,
      typeof f.default === "object" ? { ...f.default } : f.default,
    ]),
  ) as unknown as AuthorizationValues; // the table's defaults, of its own kinds
