import { describe, expect, it } from "vitest";
import { itReturns } from "../../test/support/tables";
import { findDates, nameParts, parseDate, repairDigits, sameName } from "./normalise";

/** A table of two names and whether sameName, with `options`, holds them the same. */
const sameNameCases = (
  title: string,
  options: Parameters<typeof sameName>[2],
  cases: Array<[string, string, boolean]>,
) =>
  it.each(cases)(title, (a, b, same) => {
    expect(sameName(a, b, options)).toBe(same);
  });

describe("sameName", () => {
  sameNameCases("%s ≈ %s → %s", {}, [
    ["Jane Smithers", "SMITHERS, JANE", true],
    ["Jane Smithers", "Smithers Jane", true],
    ["Jane Smithers", "SMITHERS, JANE M", true],
    ["Jane Smithers", "Jane M. Smithers", true],
    ["José García", "GARCIA, JOSE", true],
    ["Zoë O'Connor", "OCONNOR, ZOE", true],
    ["Renée O’Connor", "O'CONNOR, RENEE", true],
    ["Mary Ann Smithers", "SMITHERS, MARY-ANN", true],
    ["Mary Ann Smithers", "Maryann Smithers", true],
    ["John Smith Jr.", "SMITH, JOHN", true],
    ["Jane Smithers", "SMITHERS, JOAN", false],
    ["Jane Smithers", "J. Smithers", false],
    ["Jane Smithers", "Jane Smith", false],
    ["Jane Smithers", "Jane Smithers Lopez", false],
    ["Jane Smithers", "", false],
  ]);

  sameNameCases("physician %s ≈ %s → %s", { titles: true }, [
    ["Jeremy Smith", "Dr. Jeremy Smith", true],
    ["Jeremy Smith", "Jeremy Smith, MD", true],
    ["Jeremy Smith", "SMITH, JEREMY M.D.", true],
    ["Jeremy Smith", "Smith, Jeremy, D.O.", true],
    ["Jeremy Smith", "Jeremy Smith NP", true],
    ["Jeremy Smith", "Jeremy Smith, PA-C", true],
    ["Jeremy Smith", "Dr. Jerome Smith", false],
  ]);

  it("forgives OCR's confusions only for OCR text", () => {
    expect(sameName("Jane Smithers", "SMlTHERS, JANE")).toBe(false);
    expect(sameName("Jane Smithers", "SMlTHERS, JANE", { ocr: true })).toBe(true);
    expect(sameName("Jane Smithers", "SMITHERS, JOAN", { ocr: true })).toBe(false);
  });

  it("reads LAST, FIRST as first then last", () => {
    expect(nameParts("SMITHERS, JANE").tokens).toEqual(["jane", "smithers"]);
    expect(nameParts("Dr. Jeremy Smith, MD", { titles: true }).tokens).toEqual(["jeremy", "smith"]);
  });
});

describe("dates", () => {
  const pivotYear = 2027;
  itReturns("%s → %s", (text) => parseDate(text, { pivotYear }), [
    ["05/07/1998", "1998-05-07"],
    ["5/7/1998", "1998-05-07"],
    ["05-07-1998", "1998-05-07"],
    ["05.07.1998", "1998-05-07"],
    ["5/7/98", "1998-05-07"],
    ["05/01/26", "2026-05-01"],
    ["1998-05-07", "1998-05-07"],
    ["May 7, 1998", "1998-05-07"],
    ["May 07 1998", "1998-05-07"],
    ["Sept. 7th, 1998", "1998-09-07"],
    ["7 May 1998", "1998-05-07"],
    ["07-May-1998", "1998-05-07"],
    ["DOB: O5/O7/l998", "1998-05-07"],
    ["02/30/1998", null],
    ["13/01/1998", null],
    ["1234567893", null],
    ["", null],
  ]);

  it("finds every date with its span", () => {
    const text = "Certification Period: 05/01/2026 to 06/29/2026";
    const dates = findDates(text, { pivotYear });
    expect(dates.map((d) => d.iso)).toEqual(["2026-05-01", "2026-06-29"]);
    expect(text.slice(dates[1]!.start, dates[1]!.end)).toBe("06/29/2026");
    expect(findDates("From: May 1, 2026 Through: June 29, 2026").map((d) => d.iso)).toEqual([
      "2026-05-01",
      "2026-06-29",
    ]);
  });

  it("repairs digits only inside date-like runs, keeping the length", () => {
    expect(repairDigits("SOC O5/O1/2O26 Bob")).toBe("SOC 05/01/2026 Bob");
    expect(repairDigits("I10 Smith")).toBe("I10 Smith");
  });
});

describe("accented letters under OCR", () => {
  sameNameCases("%s ≈ %s (OCR) → %s", { ocr: true }, [
    ["José Peña", "Jose Peiia", true],
    ["José Peña", "JOSE PENA", true],
    ["José Peña", "Jose Pefia", true],
    ["José Peña", "Jose Pella", true],
    ["José Peña", "Jose Perez", false],
    ["José Peña", "Jose Peña Lopez", false],
    ["Jane Smithers", "Jane Smothers", false],
  ]);

  it("needs OCR for the latitude", () => {
    expect(sameName("José Peña", "Jose Peiia")).toBe(false);
  });
});

describe("dates as OCR reads them", () => {
  itReturns("%s → %s", parseDate, [
    ["April 13,2026", "2026-04-13"],
    ["April 9. 2026", "2026-04-09"],
    ["Start of Care: May 1, 2026", "2026-05-01"],
  ]);
});
