/**
 * Free text in audit records: the one list of the `details` keys whose values are words someone
 * wrote rather than ids, codes, counts or labels from a list. People type notes and comments
 * (a rejection's or reopening's comment, a pending-information note, a dismissed amendment's
 * note, a second review's note, a cancel's comment, an update's other reason and revision
 * comment); an agency writes the cancellation comment the read-back finds; ACCloud writes error
 * messages that can quote the client ("Cannot cancel: client Jane Smithers (DOB …)").
 *
 * Such text is shown only to roles with referral:read (the sentence and the details of /audit);
 * everyone else, and the CSV export always, get its length in its place. Plain module: the
 * writer, the sentences, the export and their tests use it.
 */

/** Keys whose values are free text, at any depth of an audit record's details. */
export const FREE_TEXT_KEYS: ReadonlySet<string> = new Set([
  "note",
  "comment",
  "otherReason",
  "revisionComment",
  // ACCloud's messages, as records written before push failures kept only their status and code.
  "error",
  "previousError",
]);

/**
 * Keys the writer refuses: they held ACCloud's message (a push failure now records the kind of
 * failure, the HTTP status, ACCloud's error code and the call; the message stays on the push
 * panel, read from the push's own row).
 */
export const RETIRED_KEYS: ReadonlySet<string> = new Set(["error", "previousError"]);

/** What stands in for free text where it may not be shown: its length only. */
export function freeTextPlaceholder(value: unknown): string {
  const text = typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value);
  return `(free text, ${text.length} character${text.length === 1 ? "" : "s"})`;
}

/** The details with every free-text value, at any depth, replaced by its length. */
export function withoutFreeText<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutFreeText(v)) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      FREE_TEXT_KEYS.has(k) && v !== null && v !== undefined ? freeTextPlaceholder(v) : withoutFreeText(v),
    ]),
  ) as T;
}
