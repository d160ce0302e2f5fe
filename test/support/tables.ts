/** Table-driven tests of pure functions: one test per row, named after the row's values. */
import { expect, it } from "vitest";

/** One test per `[input, expected]` row, named by `title` (as in `it.each`): `fn(input)` is `expected`. */
export function itReturns<I, O>(title: string, fn: (input: I) => O, rows: Array<[I, O]>): void {
  it.each(rows)(title, (input, expected) => {
    expect(fn(input)).toBe(expected);
  });
}
