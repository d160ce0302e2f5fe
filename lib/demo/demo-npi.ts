import { npiCheckDigit } from "../documents/npi";

/** A valid NPI (its check digit right) from nine digits: the demo's physicians and agencies. */
export const demoNpi = (nine: number): string => {
  const digits = String(nine).padStart(9, "0").slice(-9);
  return `${digits}${npiCheckDigit(digits)}`;
};
