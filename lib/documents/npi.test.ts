import { describe, expect, it } from "vitest";
import { itReturns } from "../../test/support/tables";
import { isValidNpi, npiCheckDigit, npiDigits } from "./npi";

describe("NPI check digit", () => {
  itReturns("%s → %s", isValidNpi, [
    // CMS's worked example, and NPIs published in NPPES.
    ["1234567893", true],
    ["1003000126", true],
    ["1245319599", true],
    ["1234567890", false],
    ["1234567894", false],
    ["123456789", false],
    ["12345678931", false],
    ["12234567", false],
    ["123456789A", false],
    ["", false],
  ]);

  it("gives exactly one check digit for any nine digits", () => {
    for (const nine of ["000000000", "999999999", "123456789", "100300012"]) {
      const good = Array.from({ length: 10 }, (_, d) => `${nine}${d}`).filter(isValidNpi);
      expect(good).toEqual([`${nine}${npiCheckDigit(nine)}`]);
    }
  });
});

describe("npiDigits", () => {
  itReturns("%s → %s", npiDigits, [
    ["1234567893", "1234567893"],
    ["1234 567 893", "1234567893"],
    ["123-456-7893", "1234567893"],
    ["l234S67B93", "1234567893"],
    ["O0O3000126", "0003000126"],
  ]);
});
