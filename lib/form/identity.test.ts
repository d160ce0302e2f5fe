import { describe, expect, it } from "vitest";
import { referencePayload } from "../../test/support/fixtures";
import {
  differentPersonReason,
  identityDifferences,
  identityOf,
  normaliseName,
  sameBirthday,
  sameLastName,
} from "./identity";

describe("the same person: last names", () => {
  it.each<[string, string, boolean]>([
    ["Smithers", "Smithers", true],
    ["Smithers", "smithers", true],
    ["Smithers", "Smithars", true],
    ["Smithers", "Smithrs", true],
    ["Smithers", "Smitherss", true],
    ["Smithers", "Smtihers", true],
    ["Smith", "Smyth", true],
    ["O'Brien", "OBrien", true],
    ["O’Brien", "o brien", true],
    ["Müller", "Muller", true],
    ["Núñez", "Nunez", true],
    ["van der Berg", "Vanderberg", true],
    ["Lee", "Lea", true],
    ["Smithers", "Other", false],
    ["Smithers", "Smith", false],
    ["Smith", "Smith-Jones", false],
    ["Li", "Lee", false],
    ["Ng", "Ny", false],
    ["Smithers", "Smythars", true],
    ["Smithers", "Smytharz", false],
    ["", "", true],
    ["", "Smithers", false],
  ])("%j → %j: %s", (a, b, same) => {
    expect(sameLastName(a, b)).toBe(same);
    expect(sameLastName(b, a)).toBe(same);
  });

  it("normalises case, accents, spaces and punctuation away", () => {
    expect(normaliseName(" O’Brien-Müller ")).toBe("obrienmuller");
  });
});

describe("the same person: birthdays", () => {
  it.each<[string | null, string | null, boolean]>([
    ["1998-05-07", "1998-05-07", true],
    ["1998-05-07", "1998-07-05", true],
    ["1998-05-07", "1998-05-08", true],
    ["1998-05-07", "1988-05-07", true],
    ["1998-05-07", "1998-06-07", true],
    ["1998-05-07", "1950-01-01", false],
    ["1998-05-07", "1989-05-07", false],
    ["1998-05-07", "1998-06-08", false],
    ["1998-05-07", "1999-05-08", false],
    ["1998-12-31", "1998-11-30", false],
    [null, "1998-05-07", true],
    ["1998-05-07", null, true],
    [null, null, true],
  ])("%j → %j: %s", (a, b, same) => {
    expect(sameBirthday(a, b)).toBe(same);
    expect(sameBirthday(b, a)).toBe(same);
  });
});

describe("identity differences between two submissions", () => {
  const jane = referencePayload();
  const with_ = (change: (p: ReturnType<typeof referencePayload>) => void) => {
    const p = structuredClone(jane);
    change(p);
    return p;
  };
  const differences = (p: unknown) => identityDifferences(identityOf(jane), identityOf(p));

  it("reads the agency client, names and birthday from the payload", () => {
    expect(identityOf(jane)).toEqual({
      agencyOrgId: "91c79089-a3ca-4cca-acf4-52fc1f1302c6",
      agencyClientId: 1094,
      firstName: "Jane",
      lastName: "Smithers",
      birthday: "1998-05-07",
    });
  });

  it("takes the birthday from the form when the client has none", () => {
    expect(identityOf(with_((p) => (p.client.birthday = undefined))).birthday).toBe("1998-05-07");
  });

  it.each<[string, (p: ReturnType<typeof referencePayload>) => void, string[]]>([
    ["nothing", () => {}, []],
    ["a typo in the last name", (p) => (p.client.last_name = "Smithars"), []],
    ["another first name alone", (p) => (p.client.first_name = "Janet"), []],
    ["the phone and address", (p) => Object.assign(p.client, { phone_main: "555-000-0000", address: "1 Elm St" }), []],
    ["day and month swapped", (p) => (p.client.birthday = "1998-07-05"), []],
    ["another agency client id", (p) => (p.client.id = 2001), ["agency client id"]],
    [
      "another agency",
      (p) => (p.agency.alayamarket_org_id = "11111111-2222-4333-8444-555555555555"),
      ["agency client id"],
    ],
    [
      "the same agency in capitals",
      (p) => (p.agency.alayamarket_org_id = p.agency.alayamarket_org_id.toUpperCase()),
      [],
    ],
    ["another last name", (p) => (p.client.last_name = "Jones"), ["last name"]],
    ["another birthday", (p) => (p.client.birthday = "1950-01-01"), ["birthday"]],
    [
      "Jane Smithers 1998-05-07 → Robert Other 1950-01-01 (another client id)",
      (p) => Object.assign(p.client, { id: 5555, first_name: "Robert", last_name: "Other", birthday: "1950-01-01" }),
      ["agency client id", "last name", "birthday"],
    ],
    [
      "Robert Other 1950-01-01 under Jane's client id",
      (p) => Object.assign(p.client, { first_name: "Robert", last_name: "Other", birthday: "1950-01-01" }),
      ["last name", "birthday"],
    ],
  ])("%s → %j", (_what, change, expected) => {
    expect(differences(with_(change))).toEqual(expected);
  });

  it("says what differs in words, never the names or dates", () => {
    const reason = differentPersonReason(["last name", "birthday"]);
    expect(reason).toMatch(/^Different person: /);
    expect(reason).toContain("(last name, birthday differ)");
    expect(reason).not.toMatch(/Smithers|Other|1998|1950/);
  });
});
