/**
 * Demo data for a fresh database: users for each role, a demo AlayaConnector API client and
 * about 30 referral requests from 3 agencies, delivered through the real webhook handler
 * (authentication, validation, files, idempotency), a few of them amended.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { users } from "../../db/schema";
import { createApiClient } from "../intake/api-clients";
import { systemActor } from "../access/actors";
import type { Db } from "../db";
import { handleReferralWebhook } from "../intake/webhook";
import type { TReferralRequest } from "../intake/schema";
import { readReferencePayload } from "./reference-payload";
import { recordAudit } from "../audit/record";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { createUser, type Role } from "../auth/users";
import { seedEarlierDecisions } from "./earlier-decisions";
import { logger } from "../log";
import { demoNpi } from "./demo-npi";

export const DEMO_USERS: Array<{ email: string; name: string; role: Role }> = [
  { email: "reviewer@demo.test", name: "Riley Reviewer", role: "reviewer" },
  { email: "reviewer2@demo.test", name: "Robin Reviewer", role: "reviewer" },
  { email: "supervisor@demo.test", name: "Sam Supervisor", role: "supervisor" },
  { email: "admin@demo.test", name: "Alex Admin", role: "admin" },
];

/** The reference request, seeded with its own request_id so tests and demos can find it. */
export const REFERENCE_REQUEST_ID = "0e1d5e34-63d7-4bb2-8e22-9376943ab56f";

const AGENCIES = [
  {
    name: "Gem City Home Care",
    host: "https://csi.uat.alayacare.com",
    branch_id: 1050,
    alayamarket_org_id: "91c79089-a3ca-4cca-acf4-52fc1f1302c6",
    timezone: "America/Denver",
  },
  {
    name: "Miami Valley Nursing",
    host: "https://csi.uat.alayacare.com",
    branch_id: 1060,
    alayamarket_org_id: "3f6b2a10-7c1e-4d2b-9a55-2b1f0c9e4a11",
    timezone: "America/New_York",
  },
  {
    name: "Bluegrass Home Health",
    host: "https://csi.uat.alayacare.com",
    branch_id: 1070,
    alayamarket_org_id: "c2d9e8f7-5b4a-4c3d-8e2f-1a0b9c8d7e62",
    timezone: "America/Chicago",
  },
];

const FIRST = [
  "Maria",
  "James",
  "Linda",
  "Robert",
  "Patricia",
  "Michael",
  "Barbara",
  "David",
  "Susan",
  "Joseph",
  "Karen",
  "Thomas",
  "Nancy",
  "Daniel",
  "Lisa",
  "Paul",
  "Betty",
  "Mark",
  "Sandra",
  "George",
];
const LAST = [
  "Garcia",
  "Johnson",
  "Nguyen",
  "Williams",
  "Brown",
  "Okafor",
  "Miller",
  "Davis",
  "Lopez",
  "Wilson",
  "Anderson",
  "Patel",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Thompson",
  "White",
  "Harris",
  "Clark",
];
const SERVICES = ["PT", "OT", "Skilled Nursing", "Infusion Nursing", "Home Health Aide"];
const FREQUENCIES = ["Twice a week", "Once a week", "Three times a week", "Daily", "Every other day"];
const AUTHS = ["10 visits total", "8 visits total", "12 visits total", "20 hours total", "30 visits total"];
const DIAGNOSES = [
  "I509=Heart failure, unspecified",
  "J441=Chronic obstructive pulmonary disease with (acute) exacerbation",
  "E119=Type 2 diabetes mellitus without complications",
  "M1711=Unilateral primary osteoarthritis, right knee",
  "A419=Sepsis, unspecified organism",
  "L89154=Pressure ulcer of sacral region, stage 4",
];
const ZONES = ["America/Denver", "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Phoenix"];

/** A small valid one-page PDF carrying a line of text. */
export function demoPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, "");
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** reference/new_referral_request_payload.json: the demo referrals are variations of it. */
const referencePayload = (): TReferralRequest => readReferencePayload();

const pick = <T>(arr: readonly T[], i: number): T => arr[i % arr.length]!;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Demo referral `i`: the reference payload with its own client, agency, service and dates. */
export function buildPayload(base: TReferralRequest, i: number): TReferralRequest {
  const agency = pick(AGENCIES, i);
  const first = pick(FIRST, i * 7 + 3);
  const last = pick(LAST, i * 3 + 1);
  const service = pick(SERVICES, i);
  const start = new Date(Date.UTC(2026, 10, 24 + (i % 20)));
  const end = new Date(start.getTime() + (30 + (i % 4) * 15) * 86_400_000);
  const birthday = isoDate(new Date(Date.UTC(1935 + ((i * 3) % 60), i % 12, 1 + (i % 27))));
  const clientTz = pick(ZONES, i + (i % 3));
  const values: Record<string, unknown> = {
    "ICD-10 Diagnosis": [pick(DIAGNOSES, i), pick(DIAGNOSES, i + 2)].slice(0, 1 + (i % 2)).map((d, k) => ({
      values: [
        { field_key: "diagnosis", field_value: d },
        { field_key: "treatment", field_value: k === 0 ? "Ongoing home therapy" : null },
        { field_key: "start_date", field_value: k === 0 ? isoDate(new Date(start.getTime() - 20 * 86_400_000)) : null },
        { field_key: "end_date", field_value: null },
        { field_key: "notes", field_value: k === 0 ? "Reported by the agency's intake nurse" : null },
      ],
    })),
    "Physician first name": pick(["Ana", "Tom", "Grace", "Omar"], i),
    "Physician last name": pick(["Reyes", "Bishop", "Hall", "Haddad"], i),
    "Physician NPI": Number(demoNpi(123_456_700 + i)),
    "Physician phone number": `555-40${i % 10}-${String(1000 + i * 37).slice(0, 4)}`,
    "Service Requested": { option: { name: service, value: service } },
    "Service start date": isoDate(start),
    "Service end date": isoDate(end),
    "Service frequency": pick(FREQUENCIES, i),
    "Service authorizations": pick(AUTHS, i),
    "Primary insurance name": pick(["Medicare Part A", "Anthem Blue Cross", "Humana Gold", "CareSource"], i),
    "Primary subscriber ID": `M${100000 + i * 173}`,
    "Primary subscriber full name": `${first} ${last}`,
    "Primary subscriber birthday": birthday,
    "Secondary insurance needed?": i % 3 === 0,
    "Phone (Main)": `555-2${String(10 + i).padStart(2, "0")}-${String(3000 + i * 11).slice(0, 4)}`,
    Email: `${first}.${last}@example.com`.toLowerCase(),
    "Date of Birth": birthday,
    Gender: { option: { name: i % 2 ? "M" : "F", value: i % 2 ? "M" : "F" } },
    Address: `${100 + i * 17} ${pick(["Main St", "Oak Ave", "Lyons Road", "Elm St", "Park Blvd"], i)}`,
    City: pick(["Dayton", "Kettering", "Louisville", "Lexington", "Cincinnati"], i),
    State: {
      option: { name: pick(["OH", "OH", "KY", "KY", "OH"], i), value: pick(["OH", "OH", "KY", "KY", "OH"], i) },
    },
    "Zip Code": String(45400 + i * 3),
  };
  const fields = base.form_data.fields.map((f) =>
    f.field_label in values ? { ...f, field_value: values[f.field_label] as never } : f,
  );
  const files = [
    {
      file_name: "physician_order.pdf",
      file_value: demoPdf(`Physician order for referral ${i + 1}`).toString("base64"),
    },
  ];
  if (i % 4 === 1) files.push({ file_name: "wound_photo.png", file_value: pick(base.files ?? [], 0).file_value });
  return {
    request_id: randomUUID(),
    agency: { ...agency },
    client: {
      id: 2000 + (i % 12),
      first_name: first,
      last_name: last,
      email: String(values.Email),
      phone_main: String(values["Phone (Main)"]),
      birthday,
      gender: i % 2 ? "M" : "F",
      address: String(values.Address),
      city: String(values.City),
      state: pick(["OH", "OH", "KY", "KY", "OH"], i),
      zip: String(values["Zip Code"]),
      country: "US",
      timezone: clientTz,
    },
    files,
    form_data: {
      ...base.form_data,
      created_at: new Date(Date.now() - i * 3_600_000).toISOString().replace("Z", "+00:00"),
      fields,
    },
  };
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const r = await db.execute(sql`select (select count(*) from users) + (select count(*) from referral_requests) as n`);
  return Number((r.rows[0] as { n: string | number }).n) === 0;
}

export type DemoSeedResult = {
  referrals: number;
  /** earlier decisions: referrals approved (and sent) before the open ones arrived */
  approved: number;
  apiClient: { key: string; secret: string };
};

export async function seedDemoData(db: Db, opts: { password: string; count?: number }): Promise<DemoSeedResult> {
  const actor = systemActor("demo seed");
  for (const u of DEMO_USERS) await createUser(db, { ...u, password: opts.password, actor });
  const client = await createApiClient(db, { name: "Demo AlayaConnector", actor });
  const auth = `Basic ${Buffer.from(`${client.key}:${client.secret}`).toString("base64")}`;
  const deliver = async (payload: unknown) => {
    const res = await handleReferralWebhook(
      new Request("http://localhost/api/referral-requests", {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify(payload),
      }),
      db,
    );
    if (res.status >= 300) throw new Error(`demo delivery refused: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };

  const base = referencePayload();
  // Earlier decisions first (approved through the real approval code): the referrals below are drafted from them.
  const earlier = await seedEarlierDecisions(db, {
    agencies: AGENCIES,
    reviewerEmail: DEMO_USERS[0]!.email,
    payload: (k) => buildPayload(base, 100 + k),
    deliver,
    openFrom: new Date(Date.UTC(2026, 10, 24)),
  });
  await deliver({ ...base, request_id: REFERENCE_REQUEST_ID });
  const count = opts.count ?? 29;
  // Physician orders written from each referral's form (pdfkit, a development dependency: without
  // it the referrals keep a one-line PDF, and the order check finds no order in them).
  const orders = await import("./demo-orders").catch(() => {
    logger("demo").warn("demo orders not written (pdfkit is not installed): the order check will find none");
    return null;
  });
  for (let i = 0; i < count; i++) {
    const payload = buildPayload(base, i);
    const order = await orders?.demoOrder(payload, i);
    if (order && payload.files?.[0])
      payload.files[0] = { file_name: order.name, file_value: order.pdf.toString("base64") };
    const { id } = await deliver(payload);
    // Spread arrival over the last few days so ages and SLA states vary.
    const hoursAgo = (i * 7) % 96;
    await db.execute(sql`update referral_requests set received_at = now() - make_interval(hours => ${hoursAgo}),
      sla_due_at = now() - make_interval(hours => ${hoursAgo}) + (sla_due_at - received_at) where id = ${id}`);
    if (i % 9 === 4) {
      const amended = structuredClone(payload);
      const freq = amended.form_data.fields.find((f) => f.field_label === "Service frequency");
      if (freq) freq.field_value = freq.field_value === "Three times a week" ? "Twice a week" : "Three times a week";
      await deliver(amended);
    }
  }
  return { referrals: count + 1 + earlier, approved: earlier, apiClient: { key: client.key, secret: client.secret } };
}

/**
 * The rule for the demo password: it is DEMO_PASSWORD (or the one generated into
 * DATA_DIR/secrets.json) at every start, not only the first. Demo users that still exist get it
 * (and lose a lockout), so the password the launcher prints is always the one that works, also
 * after a start with another DEMO_PASSWORD. Returns the demo users whose password changed.
 */
export async function applyDemoPassword(db: Db, password: string): Promise<string[]> {
  const changed: string[] = [];
  for (const demo of DEMO_USERS) {
    const [user] = await db
      .select({
        id: users.id,
        passwordHash: users.passwordHash,
        failed: users.failedSignIns,
        lockedUntil: users.lockedUntil,
      })
      .from(users)
      .where(eq(users.email, demo.email));
    if (!user) continue;
    const same = user.passwordHash !== null && (await verifyPassword(user.passwordHash, password));
    if (same && user.failed === 0 && !user.lockedUntil) continue;
    const passwordHash = same ? user.passwordHash! : await hashPassword(password);
    await db.transaction(async (tx) => {
      await tx
        .update(users)
        .set({ passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: sql`now()` })
        .where(eq(users.id, user.id));
      if (!same) {
        await recordAudit(tx, {
          actor: systemActor("demo seed"),
          action: "user.password_set",
          entityType: "user",
          entityId: user.id,
          details: { reason: "DEMO_PASSWORD at start" },
        });
      }
    });
    if (!same) changed.push(demo.email);
  }
  return changed;
}

/** Session advisory lock held while one process seeds (or sets the demo password). */
const SEED_LOCK = "csi:demo-seed";
const SEED_LOCK_WAIT_MS = 5 * 60_000;

/**
 * What a start does with demo data: seeds an empty database, or gives the existing demo users
 * DEMO_PASSWORD. Safe when several processes start at once (app processes behind a load
 * balancer, a restart of all of them): the emptiness check and the seeding happen under one
 * advisory lock, so exactly one process seeds and the others then find the data and only set
 * the password. The lock is polled rather than waited on: the pool's statement timeout would
 * cancel a wait longer than a seeding.
 */
export async function seedDemoDataIfEmpty(
  db: Db,
  opts: { password: string; count?: number; onSeeding?: () => void },
): Promise<{ seeded: DemoSeedResult | null; passwordChanged: string[] }> {
  const conn = await db.$client.connect();
  let unlocked = false;
  try {
    const deadline = Date.now() + SEED_LOCK_WAIT_MS;
    while (
      !(await conn.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtextextended($1, 0)) as ok", [SEED_LOCK]))
        .rows[0]?.ok
    ) {
      if (Date.now() > deadline)
        throw new Error(`another process has held the demo-seeding lock for ${SEED_LOCK_WAIT_MS / 60_000} minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    try {
      if (await isDatabaseEmpty(db)) {
        opts.onSeeding?.();
        return { seeded: await seedDemoData(db, opts), passwordChanged: [] };
      }
      return { seeded: null, passwordChanged: await applyDemoPassword(db, opts.password) };
    } finally {
      unlocked = await conn.query("select pg_advisory_unlock(hashtextextended($1, 0))", [SEED_LOCK]).then(
        () => true,
        () => false,
      );
    }
  } finally {
    // A connection that may still hold the lock is closed rather than handed to the next query.
    conn.release(!unlocked);
  }
}
