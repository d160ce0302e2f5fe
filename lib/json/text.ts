/**
 * JSON text of any stored value, however deep. JSON.stringify and a recursive walk overflow the
 * stack a few thousand levels down, and PostgreSQL's jsonb holds more than ten thousand (payloads
 * stored before the intake bounded nesting), so one odd value must not take a page down with
 * it. This writes the same text as JSON.stringify(value, null, indent) (or, with sortKeys, the
 * same as a canonical walk with keys in code-unit order), with an explicit stack; past
 * `indentUpTo` levels the rest is written compactly, so the text stays linear in the value.
 */
type Options = { indent?: number; sortKeys?: boolean; indentUpTo?: number };

type Frame = { array: boolean; items: Array<[string | null, unknown]>; at: number; depth: number };

function scalar(v: unknown, inArray: boolean): string | undefined {
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return inArray ? "null" : undefined;
  return JSON.stringify(v);
}

function itemsOf(v: object, sortKeys: boolean): Frame["items"] {
  if (Array.isArray(v)) return v.map((x) => [null, x]);
  const entries = Object.entries(v).filter(
    ([, x]) => x !== undefined && typeof x !== "function" && typeof x !== "symbol",
  );
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries;
}

export function jsonText(value: unknown, opts: Options = {}): string {
  const indent = opts.indent ?? 0;
  const upTo = opts.indentUpTo ?? 40;
  const sortKeys = opts.sortKeys ?? false;
  const out: string[] = [];
  const newline = (depth: number) => (indent && depth <= upTo ? `\n${" ".repeat(indent * depth)}` : "");

  const begin = (v: unknown, depth: number, inArray: boolean, stack: Frame[]) => {
    if (v === null || typeof v !== "object") {
      out.push(scalar(v, inArray) ?? "null");
      return;
    }
    // Like the canonical walk (and unlike JSON.stringify), toJSON is not consulted: stored JSON has none.
    const array = Array.isArray(v);
    const items = itemsOf(v, sortKeys);
    if (items.length === 0) {
      out.push(array ? "[]" : "{}");
      return;
    }
    out.push(array ? "[" : "{");
    stack.push({ array, items, at: 0, depth });
  };

  const stack: Frame[] = [];
  begin(value, 0, false, stack);
  while (stack.length) {
    const f = stack.at(-1)!;
    if (f.at === f.items.length) {
      stack.pop();
      out.push(`${newline(f.depth)}${f.array ? "]" : "}"}`);
      continue;
    }
    const [key, child] = f.items[f.at]!;
    out.push(`${f.at > 0 ? "," : ""}${newline(f.depth + 1)}`);
    if (key !== null) out.push(`${JSON.stringify(key)}:${indent && f.depth + 1 <= upTo ? " " : ""}`);
    f.at++;
    begin(child, f.depth + 1, f.array, stack);
  }
  return out.join("");
}
