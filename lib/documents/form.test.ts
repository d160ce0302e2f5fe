/** The form's side of the checks, read from the reference payload as the webhook stores it. */
import { describe, expect, it } from "vitest";
import { readReferencePayload } from "../demo/reference-payload";
import { formValuesOf } from "./form";

describe("formValuesOf", () => {
  it("reads the reference payload's values by label", () => {
    expect(formValuesOf(readReferencePayload())).toEqual({
      client_name: "Jane Smithers",
      client_birthday: "1998-05-07",
      physician_name: "Jeremy Smith",
      physician_npi: "12234567",
      diagnosis_codes: ["A000", "E0800"],
      service: "PT",
      frequency: "Twice a week",
      start_date: "2023-05-31",
      end_date: "2023-07-31",
    });
  });

  it("takes the birthday from the Date of Birth field when the client has none, and US dates in text fields", () => {
    const payload = readReferencePayload();
    delete (payload.client as { birthday?: string }).birthday;
    const fields = payload.form_data.fields!;
    fields.find((f) => f.field_label === "Date of Birth")!.field_value = "05/07/1998";
    fields.find((f) => f.field_label === "Service start date")!.field_value = "May 31, 2023";
    expect(formValuesOf(payload)).toMatchObject({ client_birthday: "1998-05-07", start_date: "2023-05-31" });
  });

  it("says null for what the form leaves out, and survives a payload without fields", () => {
    expect(formValuesOf({ client: { first_name: "", last_name: "" }, form_data: { fields: [] } })).toEqual({
      client_name: null,
      client_birthday: null,
      physician_name: null,
      physician_npi: null,
      diagnosis_codes: null,
      service: null,
      frequency: null,
      start_date: null,
      end_date: null,
    });
    expect(formValuesOf({}).client_name).toBeNull();
  });
});
