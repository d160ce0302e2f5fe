import { describe, expect, it } from "vitest";
import { referencePayload } from "../../test/support/fixtures";
import { buildFieldGroups, GROUP_ORDER } from "./fields";
import { diffFields } from "./diff";
import { ageInYears, formatCalendarDate, formatDuration } from "../format";
import { slaState } from "../referrals/sla";

describe("field layout", () => {
  it("keeps every field of the reference payload, grouped the way a reviewer reads", () => {
    const payload = referencePayload();
    const groups = buildFieldGroups(payload);
    // Every group in its order but "other": the mapping knows every label of the reference payload.
    expect(groups.map((g) => g.group)).toEqual(GROUP_ORDER.filter((g) => g !== "other"));
    const labels = groups.flatMap((g) => g.fields.map((f) => f.label)).sort();
    expect(labels).toEqual(payload.form_data.fields.map((f) => f.field_label).sort());
    expect(groups.find((g) => g.group === "client")!.fields.map((f) => f.label)).toEqual([
      "Phone (Main)",
      "Email",
      "Date of Birth",
      "Gender",
      "Address",
      "City",
      "State",
      "Zip Code",
    ]);
  });

  it("puts unknown labels and types in Other fields, in payload order, with section headings", () => {
    const payload = referencePayload();
    payload.form_data.fields.push(
      { field_id: 900, field_label: "Extra notes", field_type: "section", field_value: null },
      { field_id: 901, field_label: "Pets at home", field_type: "signature", field_value: { strokes: 3 } },
    );
    const other = buildFieldGroups(payload).find((g) => g.group === "other")!;
    expect(other.fields.map((f) => [f.label, f.type])).toEqual([
      ["Extra notes", "section"],
      ["Pets at home", "signature"],
    ]);
  });

  it("diffs submissions by label", () => {
    const a = referencePayload();
    const b = structuredClone(a);
    b.form_data.fields.find((f) => f.field_label === "Service frequency")!.field_value = "Daily";
    b.form_data.fields = b.form_data.fields.filter((f) => f.field_label !== "Email");
    expect(diffFields(a, b)).toEqual([
      { label: "Service frequency", before: "Twice a week", after: "Daily", kind: "changed" },
      { label: "Email", before: "janesmithers@example.com", after: null, kind: "removed" },
    ]);
  });
});

describe("formats and SLA", () => {
  it("formats calendar dates without a zone shift and computes ages", () => {
    expect(formatCalendarDate("2023-05-31")).toBe("May 31, 2023");
    expect(ageInYears("1998-05-07", new Date("2026-05-06T12:00:00Z"))).toBe(27);
    expect(ageInYears("1998-05-07", new Date("2026-05-07T12:00:00Z"))).toBe(28);
    expect(formatDuration(90 * 60_000)).toBe("1 h");
    expect(formatDuration(50 * 3_600_000)).toBe("2 d 2 h");
  });

  it("is due, overdue, paused while pending information, or none once closed", () => {
    const now = new Date("2026-01-02T00:00:00Z");
    expect(slaState({ status: "new", slaDueAt: "2026-01-02T05:00:00Z", slaPausedAt: null }, now)).toEqual({
      kind: "due",
      remainingMs: 5 * 3_600_000,
    });
    expect(slaState({ status: "in_review", slaDueAt: "2026-01-01T22:00:00Z", slaPausedAt: null }, now)).toEqual({
      kind: "overdue",
      overdueMs: 2 * 3_600_000,
    });
    expect(
      slaState({ status: "pending_info", slaDueAt: "2026-01-02T05:00:00Z", slaPausedAt: "2026-01-01T23:00:00Z" }, now),
    ).toEqual({
      kind: "paused",
      remainingMs: 6 * 3_600_000,
    });
    expect(slaState({ status: "rejected", slaDueAt: "2026-01-01T00:00:00Z", slaPausedAt: null }, now)).toEqual({
      kind: "none",
    });
  });
});
