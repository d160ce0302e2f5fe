/**
 * Text PostgreSQL can store. A text or jsonb value refuses the NUL character (22021, 22P05), and
 * jsonb refuses a lone UTF-16 surrogate (a text column silently stores it as U+FFFD): the same on
 * every retry, so such input is bad input (a message beside the field, a 422), never "try again".
 * Every free-text field of the forms and server actions is built with `storableText`; the webhook
 * checks its body with the same messages (lib/intake/limits.ts). No server imports: the forms use it.
 */
import { z } from "zod";

export const NUL_MESSAGE = "contains the NUL character (\\u0000), which PostgreSQL cannot store";
export const LONE_SURROGATE_MESSAGE =
  "contains an unpaired UTF-16 surrogate (\\ud800-\\udfff), which PostgreSQL cannot store";

// String.prototype.isWellFormed: Node 20 has it; TypeScript's ES2022 library does not declare it.
const wellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Why PostgreSQL would refuse `s` (a NUL, a lone surrogate), or null. */
export function unstorableTextIssue(s: string): string | null {
  if (s.includes("\0")) return NUL_MESSAGE;
  if (!wellFormed(s)) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * `z.string()` that refuses text PostgreSQL cannot store, with a message naming the field
 * (`label`: "the comment", "the name"…). Chain trim/min/max after it as on `z.string()`.
 */
export function storableText(label: string) {
  const name = label.charAt(0).toUpperCase() + label.slice(1);
  return z.string().superRefine((v, ctx) => {
    const issue = unstorableTextIssue(v);
    if (issue) ctx.addIssue({ code: "custom", message: `${name} ${issue}` });
  });
}

/**
 * Every string and key in a JSON value (an editor draft) that PostgreSQL would refuse, with its
 * path; at most `max`. Iterative, so a deep value cannot overflow the stack.
 */
export function unstorableStrings(value: unknown, max = 20): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: value, path: [] }];
  while (stack.length && out.length < max) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      const issue = unstorableTextIssue(v);
      if (issue) out.push({ path, message: `This text ${issue}` });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v).reverse()) {
        const issue = unstorableTextIssue(k);
        if (issue) out.push({ path: [...path, k], message: `Its name ${issue}` });
        else stack.push({ v: child, path: [...path, k] });
      }
    }
  }
  return out;
}
