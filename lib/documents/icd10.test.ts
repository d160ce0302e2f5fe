import { describe, expect, it } from "vitest";
import { itReturns } from "../../test/support/tables";
import { icdDisplay, icdKey, isWellFormedIcd10, nearestIcd, repairIcd } from "./icd10";

describe("ICD-10 shape", () => {
  itReturns("%s → %s", isWellFormedIcd10, [
    ["E11.9", true],
    ["e119", true],
    ["A000", true],
    ["I10", true],
    ["S72.001A", true],
    ["T81.4XXA", true],
    ["M1A.0710", true],
    ["L89.154", true],
    ["E11.", true],
    ["E1", false],
    ["11.9", false],
    ["EE1.9", false],
    ["E11.94567", false],
    ["E1.19", false],
    ["E11-9", false],
    ["", false],
    ["12234567", false],
  ]);

  it("keys and displays ignoring dots and case", () => {
    expect(icdKey(" e11.65 ")).toBe("E1165");
    expect(icdDisplay("e1165")).toBe("E11.65");
    expect(icdDisplay("I10")).toBe("I10");
  });
});

describe("repairIcd: OCR confusions undone only when that gives a form code", () => {
  const form = new Set(["E119", "I10", "S72001A", "L89154", "B9562"]);
  itReturns("%s → %s", (order) => repairIcd(order, form), [
    ["E11.9", "E119"], // already a form code
    ["Il0", "I10"], // l for 1
    ["I1O", "I10"], // O for 0
    ["572.001A", "S72001A"], // 5 for S
    ["S72.OO1A", "S72001A"],
    ["LB9.154", "L89154"], // B for 8
    ["189.154", "L89154"], // 1 for L
    ["895.62", "B9562"],
    ["E11.8", "E118"], // a different code: nothing reaches a form code
    ["J44.1", "J441"],
  ]);

  it("leaves a code alone when two form codes are reachable", () => {
    // S read where a digit stands: 5 or 8, and the form has both.
    expect(repairIcd("Z4S.1", new Set(["Z451", "Z481"]))).toBe("Z4S1");
  });
});

describe("nearestIcd: one character beyond the look-alikes, for unsure OCR", () => {
  it.each([
    ["281.81", ["Z9181", "E119"], "Z9181"], // 2 for Z, then 8 for 9
    ["M15.90", ["M1990"], "M1990"],
    ["M15.90", ["M1990", "M1690"], null], // two within reach
    ["J18.9", ["E119"], null],
    ["E11.9", ["E119"], "E119"],
  ])("%s among %j → %s", (code, candidates, nearest) => {
    expect(nearestIcd(code, new Set(candidates))).toBe(nearest);
  });
});
