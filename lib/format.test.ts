import { describe, expect, it } from "vitest";
import { formatCalendarDate, formatCount, formatDateTime } from "./format";

describe("formatCount", () => {
  it.each([0, 7, 999, 1_000, 12_345, 1_000_000, 987_654_321])("writes %i as en-US does", (n) => {
    expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
  });
});

describe("the lazily made date formats", () => {
  it("format in the display zone and as calendar dates", () => {
    expect(formatDateTime("2026-07-04T16:30:00Z")).toBe("Jul 4, 2026, 12:30 PM EDT");
    expect(formatCalendarDate("2023-05-31")).toBe("May 31, 2023");
    expect(formatCalendarDate("not a date")).toBe("not a date");
  });
});
