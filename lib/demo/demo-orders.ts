/**
 * The demo referrals' physician orders: a text PDF per referral written from the referral's own
 * form (lib/demo/order-pdf.ts), so the order check has something to say. Most agree with their
 * form; every third states another birthday, and every sixth another NPI and frequency, so a
 * newcomer sees matches, "Order disagrees" in the queue and the mismatches beside their fields.
 */
import type { TReferralRequest } from "../intake/schema";
import { dateOf, diagnosesOf, indexFields, textOf } from "../form/mapping";
import { demoNpi } from "./demo-npi";
import { ordersTemplate, rng, type Facts, type Service } from "./order-pdf";

const SERVICE_OF: Record<string, Service> = {
  PT: "PT",
  OT: "OT",
  "Skilled Nursing": "SN",
  "Home Health Aide": "HHA",
  "Infusion Nursing": "INF",
};

/** How an order writes the demo form's frequencies ("x 6 weeks" is the dates' business). */
const ORDER_FREQUENCY: Record<string, (weeks: number) => string> = {
  "Once a week": (w) => `1x/week x ${w} weeks`,
  "Twice a week": (w) => `2x/week x ${w} weeks`,
  "Three times a week": (w) => `3x/wk x ${w} wks`,
  Daily: (w) => `daily x ${w} weeks`,
  "Every other day": (w) => `every other day x ${w} weeks`,
};

const addDays = (iso: string, n: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** "I509" → "I50.9", as orders print ICD-10 codes. */
const dotted = (code: string) =>
  code.length > 3 && !code.includes(".") ? `${code.slice(0, 3)}.${code.slice(3)}` : code;

export type DemoOrder = { name: string; pdf: Buffer; disagrees: string[] };

/**
 * The order of demo referral `i`, from its payload: what it states and, for some, what it states
 * differently from the form. Null when the form lacks what an order needs (a service, dates).
 */
export async function demoOrder(payload: TReferralRequest, i: number): Promise<DemoOrder | null> {
  const f = indexFields(payload.form_data.fields, payload.form_data.form_schema_id);
  const service = SERVICE_OF[textOf(f.serviceRequested?.field_value) ?? ""];
  const start = dateOf(f.serviceStart?.field_value);
  const end = dateOf(f.serviceEnd?.field_value);
  const frequency = ORDER_FREQUENCY[textOf(f.serviceFrequency?.field_value) ?? ""];
  const dob = payload.client.birthday ?? dateOf(f.clientBirthday?.field_value);
  if (!service || !start || !end || !frequency || !dob) return null;
  const weeks = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / (7 * 86_400_000)));
  const disagrees: string[] = [];
  const facts: Facts = {
    patient: {
      first: payload.client.first_name,
      middle: "",
      last: payload.client.last_name,
      dob,
      mrn: String(4_100_000 + i * 7919).slice(0, 7),
      address: [payload.client.address, payload.client.city, payload.client.state].filter(Boolean).join(", "),
      sex: payload.client.gender === "M" ? "M" : "F",
    },
    physician: {
      first: textOf(f.physicianFirstName?.field_value) ?? "",
      last: textOf(f.physicianLastName?.field_value) ?? "",
      title: "MD",
      npi: (textOf(f.physicianNpi?.field_value) ?? "").replace(/\D/g, ""),
      phone: textOf(f.physicianPhone?.field_value) ?? "(937) 555-0100",
      address: "1 Medical Center Dr, Dayton, OH",
    },
    other: { first: "", last: "" },
    agency: {
      name: payload.agency.name,
      phone: "(937) 555-0142",
      fax: "(937) 555-0143",
      npi: demoNpi(180_000_000 + i),
    },
    diagnoses: diagnosesOf(f.diagnoses?.field_value).flatMap((d) =>
      d.code ? [[dotted(d.code), d.description ?? ""] as [string, string]] : [],
    ),
    service,
    perWeek: 2,
    weeks,
    soc: start,
    certEnd: end,
    orderDate: addDays(start, -3),
    frequencyText: frequency(weeks),
  };
  if (i % 3 === 1) {
    // The form's birthday a year off: a typo the order catches.
    facts.patient.dob = addDays(dob, 365);
    disagrees.push("client_birthday");
  } else if (i % 6 === 2) {
    facts.physician.npi = demoNpi(987_000_000 + i);
    const thrice = textOf(f.serviceFrequency?.field_value) === "Three times a week";
    facts.frequencyText = `${thrice ? 2 : 3}x/week x ${weeks} weeks`;
    disagrees.push("physician_npi", "frequency");
  }
  // Every fifth order runs on with plan-of-care pages: something to flip through.
  const { pdf } = await ordersTemplate(facts, rng(2026 + i), i % 5 === 4 ? 7 : 0);
  return { name: "physician_order.pdf", pdf, disagrees };
}
