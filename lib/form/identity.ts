/**
 * Who a referral's client is, and whether a later submission names the same person. An ACCloud
 * client stands for ONE person: the one the approval's push first sent (or a reviewer later
 * confirmed). A submission that names someone else must never reach that client, or two patients'
 * records merge in the system of record.
 *
 * The rule (the same person unless one of these says otherwise):
 *  - agency client: the agency's org id and client id (ACCloud's external id is built from them,
 *    `<org>:<client id>`): any change is another person;
 *  - last name, normalised (case, accents and anything not a letter or digit ignored, so
 *    "O'Brien" = "obrien" and "Müller" = "muller"): a Levenshtein distance (fastest-levenshtein)
 *    of at most 2 AND at most a third of the longer name is a typo ("Smithers" → "Smithars",
 *    "Smith" → "Smyth"); more is another person ("Smithers" → "Other", "Li" → "Lee",
 *    "Smith" → "Smith-Jones");
 *  - birthday: the same date, the day and month swapped ("1998-05-07" → "1998-07-05"), or exactly
 *    one digit different ("1998-05-07" → "1998-05-08", "1988-05-07") is a typo; anything else is
 *    another person. A birthday missing on either side says nothing (an agency adding a missing
 *    birthday is not a new person; the id and last name still decide).
 *  - the first name is not part of the rule: nicknames and spellings vary ("Jim", "James"); a
 *    first name alone never marks another person.
 * A change the rule lets through is a correction: "Send update" may send it to the client.
 */
import { distance } from "fastest-levenshtein";
import { dateOf, indexFields, type FormFieldLike } from "./mapping";

export type ClientIdentity = {
  agencyOrgId: string;
  agencyClientId: number | null;
  firstName: string;
  lastName: string;
  birthday: string | null;
};

/** What of the identity differs, in the words the page and the audit record use (never the values). */
export type IdentityDifference = "agency client id" | "last name" | "birthday";

type PayloadLike = {
  agency?: { alayamarket_org_id?: unknown } | null;
  client?: { id?: unknown; first_name?: unknown; last_name?: unknown; birthday?: unknown } | null;
  form_data?: { fields?: unknown; form_schema_id?: unknown } | null;
};

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The client a submission names: the payload's client, its birthday from the form when the client has none (as the queue columns read it). */
export function identityOf(payload: unknown): ClientIdentity {
  const p = (payload ?? {}) as PayloadLike;
  const c = p.client ?? {};
  const fields = Array.isArray(p.form_data?.fields) ? (p.form_data.fields as FormFieldLike[]) : [];
  const schemaId = typeof p.form_data?.form_schema_id === "string" ? p.form_data.form_schema_id : null;
  const formBirthday = dateOf(indexFields(fields, schemaId).clientBirthday?.field_value);
  return {
    agencyOrgId: text(p.agency?.alayamarket_org_id).toLowerCase(),
    agencyClientId: typeof c.id === "number" ? c.id : null,
    firstName: text(c.first_name),
    lastName: text(c.last_name),
    birthday: dateOf(c.birthday) ?? formBirthday,
  };
}

/** Case, accents, spaces and punctuation ignored: "O’Brien-Müller" → "obrienmuller". */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** The same last name, or one a typo away: distance ≤ 2 and ≤ a third of the longer normalised name. */
export function sameLastName(a: string, b: string): boolean {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (x === y) return true;
  const d = distance(x, y);
  return d <= 2 && d * 3 <= Math.max(x.length, y.length);
}

/** The same birthday, or a plausible typo of it (day and month swapped, one digit); unknown on either side is no evidence. */
export function sameBirthday(a: string | null, b: string | null): boolean {
  if (!a || !b || a === b) return true;
  const [ya, ma, da] = a.split("-");
  const [yb, mb, db] = b.split("-");
  if (ya === yb && ma === db && da === mb) return true;
  const x = a.replace(/-/g, "");
  const y = b.replace(/-/g, "");
  if (x.length !== y.length) return false;
  let differing = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differing++;
  return differing === 1;
}

/** What makes `after` another person than `before`; empty: the same person (possibly with a typo corrected). */
export function identityDifferences(before: ClientIdentity, after: ClientIdentity): IdentityDifference[] {
  const out: IdentityDifference[] = [];
  if (before.agencyOrgId !== after.agencyOrgId || before.agencyClientId !== after.agencyClientId)
    out.push("agency client id");
  if (!sameLastName(before.lastName, after.lastName)) out.push("last name");
  if (!sameBirthday(before.birthday, after.birthday)) out.push("birthday");
  return out;
}

/** The reason a reviewer reads, on the page and in a refusal: no names or dates, only what differs. */
export function differentPersonReason(differences: readonly IdentityDifference[]): string {
  const what = differences.length ? ` (${differences.join(", ")} differ${differences.length === 1 ? "s" : ""})` : "";
  return `Different person: the latest submission names another client than the one ACCloud has for this referral${what}. Nothing of it is sent to that client until a reviewer confirms it is the same person or cancels the referral and approves the new person as a new client.`;
}

/** The client's external id in ACCloud: the agency's org id and its client id (two agencies' client 1094 never collide). */
export const clientExternalId = (agencyOrgId: string, agencyClientId: number) =>
  `${agencyOrgId.toLowerCase()}:${agencyClientId}`;
