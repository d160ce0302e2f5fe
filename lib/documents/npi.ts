/**
 * National Provider Identifiers: 10 digits whose last is a Luhn check digit computed over the
 * prefix 80840 and the first nine (CMS, "NPI check digit").
 */

/** The Luhn check digit of `80840` + the nine digits given. */
export function npiCheckDigit(nineDigits: string): number {
  const digits = `80840${nineDigits}`;
  let sum = 0;
  // The check digit will sit to the right, so the rightmost of these digits is doubled.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for ten digits with a correct check digit. */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

/** OCR's letter-for-digit confusions; an NPI has only digits, so they can always be undone. */
const DIGIT_FOR: Record<string, string> = {
  O: "0",
  o: "0",
  D: "0",
  Q: "0",
  I: "1",
  l: "1",
  L: "1",
  "|": "1",
  i: "1",
  S: "5",
  s: "5",
  B: "8",
  Z: "2",
  z: "2",
  G: "6",
};

/** What someone wrote (or OCR read) as an NPI, as digits: spaces, dashes and letter confusions removed. */
export function npiDigits(text: string): string {
  return text
    .replace(/[\s\-.]/g, "")
    .split("")
    .map((c) => DIGIT_FOR[c] ?? c)
    .join("");
}
