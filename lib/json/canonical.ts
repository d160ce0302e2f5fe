import { jsonText } from "./text";

/**
 * The one canonical JSON: sorted keys, so key order never counts as a change (approval
 * comparisons, retry locks) and a redelivery derives the same request_id (intake). Written without recursion
 * (lib/json/text.ts): a deeply nested stored value must not overflow the stack.
 */
export function canonical(value: unknown): string {
  return jsonText(value ?? null, { sortKeys: true });
}
