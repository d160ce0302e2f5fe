import { jsonText } from "./json-text";

/**
 * JSON with sorted keys, so key order never counts as a change. Written without recursion
 * (lib/referrals/json-text.ts): a deeply nested stored value must not overflow the stack.
 */
export function canonical(value: unknown): string {
  return jsonText(value ?? null, { sortKeys: true });
}
