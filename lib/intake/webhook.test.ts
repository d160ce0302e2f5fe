import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  clearApiClientCache,
  revokeApiClient,
  rotateApiClientSecret,
  rotateApiClientSigningSecret,
} from "./api-clients";
import { LARGE_BODY_BYTES } from "./gate";
import { INTAKE_LIMITS } from "./schema";
import { systemActor } from "../access/actors";
import { closeDb, getDb } from "../db";
import { redirectLogs } from "../log";
import { basic, freshPayload, newApiClient, referencePayload, webhookRequest } from "../../test/support/fixtures";
import { handleReferralWebhook } from "./webhook";

type Creds = Awaited<ReturnType<typeof newApiClient>>;
let creds: Creds;
const db = () => getDb();

async function post(body: unknown, init: Parameters<typeof webhookRequest>[1] = {}) {
  const res = await handleReferralWebhook(webhookRequest(body, { auth: basic(creds), ...init }));
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json };
}

async function count(table: string, where = "true"): Promise<number> {
  const r = await db().execute(sql.raw(`select count(*)::int as n from ${table} where ${where}`));
  return (r.rows[0] as { n: number }).n;
}

/** What this file's API client has stored (other test files write referral rows in parallel). */
async function totals() {
  const mine = `api_client_id = '${creds.id}'`;
  return {
    requests: await count(
      "referral_requests",
      `id in (select referral_request_id from referral_submissions where ${mine})`,
    ),
    submissions: await count("referral_submissions", mine),
    files: await count("referral_files", `submission_id in (select id from referral_submissions where ${mine})`),
    audits: await count("audit_events", `actor_id = '${creds.id}'`),
  };
}

beforeAll(async () => {
  creds = await newApiClient();
});
afterAll(async () => {
  await closeDb();
});

describe("reference payload", () => {
  it("is accepted unchanged and stored with its file, queue columns and audit record", async () => {
    const payload = freshPayload();
    const { status, json } = await post(payload);
    expect(status).toBe(201);
    expect(json).toMatchObject({ request_id: payload.request_id, status: "new" });
    const id = json.id as string;

    const row = (await db().execute(sql`select * from referral_requests where id = ${id}`)).rows[0] as Record<
      string,
      unknown
    >;
    expect(row).toMatchObject({
      agency_name: "Gem City Home Care",
      agency_branch_id: 1050,
      agency_org_id: "91c79089-a3ca-4cca-acf4-52fc1f1302c6",
      agency_timezone: "America/Denver",
      client_external_id: 1094,
      client_first_name: "Jane",
      client_last_name: "Smithers",
      client_birthday: "1998-05-07",
      client_timezone: "America/Denver",
      service_requested: "PT",
      service_start: "2023-05-31",
      service_end: "2023-07-31",
      form_schema_id: "89a3b8ba-0009-464b-a2a0-06c49cbcd745",
      status: "new",
      version: 1,
    });

    const files = (
      await db().execute(
        sql`select original_name, safe_name, content_type, size, sha256 from referral_files where referral_request_id = ${id}`,
      )
    ).rows;
    expect(files).toHaveLength(1);
    // The reference "pdf" is really a PNG: the type comes from the bytes, and the stored name says so.
    expect(files[0]).toMatchObject({
      original_name: "physician_order_form.pdf",
      safe_name: "physician_order_form.png",
      content_type: "image/png",
    });

    const sub = (await db().execute(sql`select payload from referral_submissions where referral_request_id = ${id}`))
      .rows[0] as {
      payload: { files: Array<{ file_value: string }>; form_data: { fields: unknown[] } };
    };
    expect(sub.payload.files[0]!.file_value).toBe(`sha256:${(files[0] as { sha256: string }).sha256}`);
    expect(sub.payload.form_data.fields).toEqual(payload.form_data.fields);

    const audits = (
      await db().execute(sql`select action, actor_type, actor_label from audit_events where entity_id = ${id}`)
    ).rows;
    expect(audits).toEqual([{ action: "referral.received", actor_type: "api_client", actor_label: creds.name }]);
  });

  it("answers a redelivery with 200 and the same id, storing nothing new (also with keys reordered)", async () => {
    const payload = freshPayload();
    const first = await post(payload);
    const before = await totals();
    const again = await post(payload);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, request_id: payload.request_id, duplicate: true });
    const reordered = Object.fromEntries(Object.entries(payload).reverse());
    const third = await post(reordered);
    expect(third.status).toBe(200);
    expect(third.json.id).toBe(first.json.id);
    expect(await totals()).toEqual(before);
  });

  it("stores the exact bytes of every file, line-wrapped base64 or not; and a delivery with no files", async () => {
    const png = Buffer.from(referencePayload().files![0]!.file_value, "base64");
    const pdf = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1");
    const wrapped = pdf.toString("base64").replace(/(.{16})/g, "$1\r\n");
    const payload = {
      ...freshPayload(),
      files: [
        { file_name: "a.png", file_value: png.toString("base64") },
        { file_name: "order.pdf", file_value: wrapped },
      ],
    };
    const res = await post(payload);
    expect(res.status).toBe(201);
    const rows = (
      await db()
        .execute(sql`select idx, content_type, size, encode(data, 'hex') as hex, encode(sha256(data), 'hex') = sha256 as intact
        from referral_files where referral_request_id = ${res.json.id as string} order by idx`)
    ).rows;
    expect(rows).toEqual([
      { idx: 0, content_type: "image/png", size: png.length, hex: png.toString("hex"), intact: true },
      { idx: 1, content_type: "application/pdf", size: pdf.length, hex: pdf.toString("hex"), intact: true },
    ]);

    const bare = await post({ ...freshPayload(), files: [] });
    expect(bare.status).toBe(201);
    expect(await count("referral_files", `referral_request_id = '${bare.json.id as string}'`)).toBe(0);
    expect(await count("referral_submissions", `referral_request_id = '${bare.json.id as string}'`)).toBe(1);
  });

  it("stores an unusual number of files (past the prepared statements) the same way", async () => {
    const b64 = referencePayload().files![0]!.file_value;
    const files = Array.from({ length: 12 }, (_, i) => ({ file_name: `page-${i + 1}.png`, file_value: b64 }));
    const res = await post({ ...freshPayload(), files });
    expect(res.status).toBe(201);
    const rows = (
      await db().execute(
        sql`select idx, safe_name from referral_files where referral_request_id = ${res.json.id as string} order by idx`,
      )
    ).rows;
    expect(rows).toEqual(files.map((f, i) => ({ idx: i, safe_name: f.file_name })));
  });

  it("hashes the content from the stored jsonb's canonical text, the same on the fast and the locked path", async () => {
    const payload = freshPayload();
    const first = await post(payload);
    // A signed delivery takes the locked path: the same content (keys in another order) is a duplicate.
    const signed = await newApiClient({ signed: true });
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(payload).reverse()));
    const msgId = `msg_${randomUUID()}`;
    const ts = new Date();
    const signature = new Webhook(signed.signingSecret!).sign(msgId, ts, reordered);
    const res = await handleReferralWebhook(
      webhookRequest(null, {
        auth: basic(signed),
        raw: reordered,
        headers: {
          "webhook-id": msgId,
          "webhook-timestamp": String(Math.floor(ts.getTime() / 1000)),
          "webhook-signature": signature,
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(first.json.id);
    const r = await db().execute(
      sql`select content_hash = encode(sha256(convert_to(payload::text, 'UTF8')), 'hex') as canonical from referral_submissions where referral_request_id = ${first.json.id as string}`,
    );
    expect(r.rows).toEqual([{ canonical: true }]);
  });

  it("keeps different content under the same request_id as an amendment of the original", async () => {
    const payload = freshPayload();
    const first = await post(payload);
    const amended = structuredClone(payload);
    const freq = amended.form_data.fields.find((f) => f.field_label === "Service end date")!;
    freq.field_value = "2023-08-31";
    const second = await post(amended);
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ id: first.json.id, amendment: 1 });
    const id = first.json.id as string;
    expect(await count("referral_requests", `request_id = '${payload.request_id}'`)).toBe(1);
    expect(await count("referral_submissions", `referral_request_id = '${id}'`)).toBe(2);
    const row = (
      await db().execute(
        sql`select service_end, submission_count, amended_at, version from referral_requests where id = ${id}`,
      )
    ).rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({ service_end: "2023-08-31", submission_count: 2, version: 2 });
    expect(row.amended_at).not.toBeNull();
    const audit = (
      await db().execute(sql`select details from audit_events where entity_id = ${id} and action = 'referral.amended'`)
    ).rows[0] as {
      details: { changed: string[] };
    };
    expect(audit.details.changed).toEqual(["Service end date"]);
    // The original submission is untouched.
    const original = (
      await db().execute(sql`select payload from referral_submissions where referral_request_id = ${id} and seq = 1`)
    ).rows[0] as {
      payload: typeof payload;
    };
    expect(original.payload.form_data.fields.find((f) => f.field_label === "Service end date")!.field_value).toBe(
      "2023-07-31",
    );
    // Redelivering the original content again is a duplicate of submission 1, not a third submission.
    const third = await post(payload);
    expect(third.status).toBe(200);
  });

  it("never creates two rows for 20 concurrent duplicate deliveries", async () => {
    const payload = freshPayload();
    const results = await Promise.all(Array.from({ length: 20 }, () => post(payload)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(await count("referral_requests", `request_id = '${payload.request_id}'`)).toBe(1);
    expect(await count("referral_submissions", `referral_request_id = '${results[0]!.json.id}'`)).toBe(1);
  });
});

describe("documented deviations from the spec are accepted", () => {
  it("takes agency.name as a number, unknown field types, and any JSON as field_value", async () => {
    const payload = freshPayload();
    (payload.agency as Record<string, unknown>).name = 4242;
    payload.form_data.fields.push(
      {
        field_id: 9001,
        field_label: "Signature",
        field_type: "signature",
        field_value: { strokes: [[1, 2]] },
        type: null,
      },
      { field_id: 9002, field_label: "Notes", field_type: "textarea", field_value: null },
      { field_id: 9003, field_label: "Consent", field_type: "checkbox", field_value: false },
    );
    const { status, json } = await post(payload);
    expect(status).toBe(201);
    const row = (await db().execute(sql`select agency_name from referral_requests where id = ${json.id as string}`))
      .rows[0];
    expect(row).toEqual({ agency_name: "4242" });
    const sub = (
      await db().execute(sql`select payload from referral_submissions where referral_request_id = ${json.id as string}`)
    ).rows[0] as {
      payload: typeof payload;
    };
    expect(sub.payload.form_data.fields.at(-3)).toMatchObject({
      field_type: "signature",
      field_value: { strokes: [[1, 2]] },
    });
  });

  it("derives a stable request_id when the payload has none", async () => {
    const payload = freshPayload();
    delete (payload as Record<string, unknown>).request_id;
    payload.form_data.created_at = new Date().toISOString().replace("Z", "+00:00");
    const first = await post(payload);
    expect(first.status).toBe(201);
    expect(first.json.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await post(payload);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
  });

  it("keeps fields matched by label, whatever their field_id", async () => {
    const payload = freshPayload();
    payload.form_data.fields = payload.form_data.fields.map((f, i) => ({ ...f, field_id: 70000 + i })).reverse();
    const { status, json } = await post(payload);
    expect(status).toBe(201);
    const row = (
      await db().execute(
        sql`select service_requested, service_start from referral_requests where id = ${json.id as string}`,
      )
    ).rows[0];
    expect(row).toEqual({ service_requested: "PT", service_start: "2023-05-31" });
  });
});

describe("errors", () => {
  it("400 for malformed JSON", async () => {
    const r = await post(null, { raw: '{"request_id": "x", ' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "bad_request", issues: [{ path: "(body)" }] });
  });

  it("401 without credentials, with a wrong secret, an unknown key or an unknown scheme", async () => {
    for (const auth of [
      null,
      basic({ key: creds.key, secret: "wrong" }),
      basic({ key: "nobody", secret: creds.secret }),
      `Digest ${creds.secret}`,
    ]) {
      const r = await post(freshPayload(), { auth });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: "unauthorized", issues: [{ path: "headers.authorization" }] });
    }
  });

  it("accepts a Bearer secret", async () => {
    const r = await post(freshPayload(), { auth: `Bearer ${creds.secret}` });
    expect(r.status).toBe(201);
  });

  it("415 when the body is not JSON", async () => {
    const r = await post(freshPayload(), { contentType: "text/plain" });
    expect(r.status).toBe(415);
    expect(r.json.error).toBe("unsupported_media_type");
  });

  it("422 naming the field: missing client, a wrong field_id type, a bad date", async () => {
    const noClient = freshPayload();
    delete (noClient as Record<string, unknown>).client;
    let r = await post(noClient);
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "client", message: expect.any(String) }]);

    const badId = freshPayload();
    (badId.form_data.fields[3] as Record<string, unknown>).field_id = "317";
    r = await post(badId);
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "form_data.fields[3].field_id", message: expect.any(String) }]);

    const badTz = freshPayload();
    badTz.client.timezone = "Mars/Olympus";
    r = await post(badTz);
    expect(r.status).toBe(422);
    expect((r.json.issues as Array<{ path: string }>)[0]!.path).toBe("client.timezone");
  });

  it("422 naming files[i] for bad base64, and 413 for a file over 50 MB", async () => {
    const bad = freshPayload();
    bad.files = [...(bad.files ?? []), { file_name: "x.pdf", file_value: "not base64!!" }];
    let r = await post(bad);
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "files[1].file_value", message: "is not valid base64" }]);

    const big = freshPayload();
    big.files = [{ file_name: "scan.pdf", file_value: Buffer.alloc(60 * 1024 * 1024, 1).toString("base64") }];
    const before = await totals();
    r = await post(big);
    expect(r.status).toBe(413);
    expect(r.json.issues).toEqual([{ path: "files[0].file_value", message: expect.stringContaining("larger than") }]);
    expect(await totals()).toEqual(before);
  });

  it("413 for a declared or streamed body over the limit, without reading it all", async () => {
    const declared = new Request("http://localhost/api/referral-requests", {
      method: "POST",
      headers: {
        authorization: basic(creds),
        "content-type": "application/json",
        "content-length": String(500 * 1024 * 1024),
      },
      body: "{}",
    });
    let res = await handleReferralWebhook(declared);
    expect(res.status).toBe(413);

    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const streamed = new Request("http://localhost/api/referral-requests", {
      method: "POST",
      headers: { authorization: basic(creds), "content-type": "application/json" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    res = await handleReferralWebhook(streamed);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(130);
  });

  it("a sender that closes the connection mid-body gets a 400, stores nothing, and is not logged as a database failure", async () => {
    const text = JSON.stringify(freshPayload());
    const lines: string[] = [];
    redirectLogs({ write: (line: string) => void lines.push(line) }, "debug");
    try {
      const before = await totals();
      for (const declared of [true, false]) {
        let sent = false;
        // What Node's HTTP server does to the body of a request whose connection is reset.
        const cut = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (!sent) {
              sent = true;
              controller.enqueue(new TextEncoder().encode(text.slice(0, 100)));
            } else controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
          },
        });
        const res = await handleReferralWebhook(
          new Request("http://localhost/api/referral-requests", {
            method: "POST",
            headers: {
              authorization: basic(creds),
              "content-type": "application/json",
              ...(declared ? { "content-length": String(text.length) } : {}),
            },
            body: cut,
            duplex: "half",
          } as RequestInit),
        );
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
          error: "bad_request",
          issues: [{ path: "(body)", message: "incomplete" }],
        });
      }
      expect(await totals()).toEqual(before);
      const said = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(said.filter((m) => m.startsWith("400 bad_request"))).toHaveLength(2);
      expect(said.filter((m) => /unavailable|unexpected/.test(m))).toEqual([]);
    } finally {
      redirectLogs(null);
    }
  });

  it("rolls back everything when storing fails midway, and answers 503 (retryable), not 500", async () => {
    await db().execute(
      sql.raw(`
      create or replace function test_fail_file() returns trigger as $$
      begin if new.original_name = 'boom.pdf' then raise exception 'injected failure'; end if; return new; end; $$ language plpgsql;
      drop trigger if exists test_fail_file on referral_files;
      create trigger test_fail_file before insert on referral_files for each row execute function test_fail_file();`),
    );
    try {
      const payload = freshPayload();
      payload.files = [{ file_name: "boom.pdf", file_value: payload.files![0]!.file_value }];
      const before = await totals();
      const r = await post(payload);
      expect(r.status).toBe(503);
      expect(r.json.error).toBe("unavailable");
      expect(await totals()).toEqual(before);
      expect(await count("referral_requests", `request_id = '${payload.request_id}'`)).toBe(0);
    } finally {
      await db().execute(sql.raw("drop trigger if exists test_fail_file on referral_files"));
    }
  });
});

describe("input that fails the same way on every retry gets a 4xx naming the field, never a 503", () => {
  /** Posts the raw body twice (a sender's retry) and expects the same 4xx both times, nothing stored. */
  async function refusedTwice(raw: string) {
    const before = await totals();
    const first = await post(null, { raw });
    const retry = await post(null, { raw });
    expect(first.status).toBeGreaterThanOrEqual(400);
    expect(first.status).toBeLessThan(500);
    expect(retry).toEqual(first);
    expect(await totals()).toEqual(before);
    return first;
  }
  const withField = (value: unknown, at = 4) => {
    const p = freshPayload();
    p.form_data.fields[at]!.field_value = value;
    return p;
  };

  it("422 for a NUL character or a lone surrogate anywhere PostgreSQL would refuse it", async () => {
    let r = await refusedTwice(JSON.stringify(withField("Dr. \u0000Smith")));
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([
      { path: "form_data.fields[4].field_value", message: expect.stringContaining("NUL") },
    ]);

    // A lone surrogate only exists as a JSON escape (JSON.stringify writes it as one).
    const lone = freshPayload();
    lone.client.first_name = "Ja\ud800ne";
    r = await refusedTwice(JSON.stringify(lone));
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "client.first_name", message: expect.stringContaining("surrogate") }]);

    const key = freshPayload() as Record<string, unknown>;
    key["extra\u0000"] = 1;
    r = await refusedTwice(JSON.stringify(key));
    expect(r.status).toBe(422);
    expect((r.json.issues as Array<{ path: string }>)[0]!.path).toBe("extra\u0000");
  });

  it(`422 naming the path for nesting deeper than ${INTAKE_LIMITS.depth} levels (JSON.stringify and jsonb overflow far below JSON.parse's limit)`, async () => {
    // (written as text: JSON.stringify itself overflows on it)
    const deep = `${'{"d":'.repeat(5000)}"leaf"${"}".repeat(5000)}`;
    const r = await refusedTwice(JSON.stringify(withField("DEEP")).replace('"DEEP"', deep));
    expect(r.status).toBe(422);
    expect((r.json.issues as Array<{ path: string; message: string }>)[0]).toEqual({
      path: expect.stringMatching(/^form_data\.fields\[4\]\.field_value(\.d)+$/),
      message: `nests deeper than ${INTAKE_LIMITS.depth} levels`,
    });
    // Within the limit it is kept.
    let ok: unknown = "leaf";
    for (let i = 0; i < INTAKE_LIMITS.depth - 6; i++) ok = [ok];
    expect((await post(withField(ok))).status).toBe(201);
  });

  it(`422 for more than ${INTAKE_LIMITS.fields} fields or ${INTAKE_LIMITS.files} files; 413 for more than ${INTAKE_LIMITS.values} values or ${INTAKE_LIMITS.jsonBytesOutsideFiles} bytes outside the files`, async () => {
    const fields = freshPayload();
    fields.form_data.fields = Array.from({ length: INTAKE_LIMITS.fields + 1 }, (_, i) => ({
      field_id: i,
      field_label: `F${i}`,
      field_type: "text",
      field_value: "x",
    }));
    let r = await refusedTwice(JSON.stringify(fields));
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([
      { path: "form_data.fields", message: `must have at most ${INTAKE_LIMITS.fields} fields` },
    ]);

    const files = freshPayload();
    files.files = Array.from({ length: INTAKE_LIMITS.files + 1 }, (_, i) => ({
      file_name: `p${i}.png`,
      file_value: referencePayload().files![0]!.file_value,
    }));
    r = await refusedTwice(JSON.stringify(files));
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "files", message: `must have at most ${INTAKE_LIMITS.files} files` }]);

    r = await refusedTwice(JSON.stringify(withField(Array.from({ length: INTAKE_LIMITS.values }, () => 0))));
    expect(r.status).toBe(413);
    expect(r.json.issues).toEqual([
      { path: "(body)", message: `The body holds more than ${INTAKE_LIMITS.values} JSON values` },
    ]);

    r = await refusedTwice(JSON.stringify(withField("x".repeat(INTAKE_LIMITS.jsonBytesOutsideFiles))));
    expect(r.status).toBe(413);
    expect((r.json.issues as Array<{ path: string }>)[0]!.path).toBe("(body)");
  });

  it("422 naming the field for an id outside PostgreSQL's integer range", async () => {
    const p = freshPayload();
    p.client.id = 2 ** 31;
    const r = await refusedTwice(JSON.stringify(p));
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "client.id", message: "must be at most 2147483647" }]);
  });

  it("keeps what only the queue's copies could not hold: long names and services are cut in the columns, year 0000 leaves the column empty", async () => {
    const p = freshPayload();
    // Random text does not compress: a btree entry over ~2.7 kB would be refused on every retry.
    const long = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join("");
    p.client.last_name = long;
    p.client.birthday = "0000-01-01";
    p.form_data.fields.find((f) => f.field_label === "Service Requested")!.field_value = long;
    const r = await post(p);
    expect(r.status).toBe(201);
    const row = (
      await db().execute(
        sql`select client_last_name, client_birthday, service_requested from referral_requests where id = ${r.json.id as string}`,
      )
    ).rows[0] as Record<string, string | null>;
    expect(row).toEqual({
      client_last_name: long.slice(0, 200),
      client_birthday: null,
      service_requested: long.slice(0, 200),
    });
    const sub = (
      await db().execute(
        sql`select payload->'client'->>'last_name' as name from referral_submissions where referral_request_id = ${r.json.id as string}`,
      )
    ).rows[0];
    expect(sub).toEqual({ name: long });
  });

  it("422 (not 503) when PostgreSQL refuses a value for itself; 503 with Retry-After when the refusal may pass", async () => {
    await db().execute(
      sql.raw(`
      create or replace function test_refuse_value() returns trigger as $$
      begin
        if new.original_name = 'range.pdf' then raise exception 'out of range' using errcode = '22003'; end if;
        if new.original_name = 'busy.pdf' then raise exception 'deadlock' using errcode = '40P01'; end if;
        return new;
      end; $$ language plpgsql;
      drop trigger if exists test_refuse_value on referral_files;
      create trigger test_refuse_value before insert on referral_files for each row execute function test_refuse_value();`),
    );
    try {
      const p = freshPayload();
      p.files = [{ file_name: "range.pdf", file_value: p.files![0]!.file_value }];
      const r = await refusedTwice(JSON.stringify(p));
      expect(r.status).toBe(422);
      expect(r.json.issues).toEqual([{ path: "(body)", message: "PostgreSQL refused a value (SQLSTATE 22003)" }]);
      const q = freshPayload();
      q.files = [{ file_name: "busy.pdf", file_value: q.files![0]!.file_value }];
      const res = await handleReferralWebhook(webhookRequest(q, { auth: basic(creds) }));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
    } finally {
      await db().execute(sql.raw("drop trigger if exists test_refuse_value on referral_files"));
    }
  });
});

describe("what the spec permits is accepted", () => {
  it("an empty or absent fields array, a file without a name or bytes, empty names, a non-string `type`", async () => {
    const empty = freshPayload();
    empty.form_data.fields = [];
    let r = await post(empty);
    expect(r.status).toBe(201);

    const absent = freshPayload();
    delete (absent.form_data as Record<string, unknown>).fields;
    r = await post(absent);
    expect(r.status).toBe(201);

    const files = freshPayload() as Record<string, unknown>;
    const png = referencePayload().files![0]!.file_value;
    files.files = [{ file_value: png }, { file_name: "later.pdf" }, { file_name: "blank.pdf", file_value: "" }];
    r = await post(files);
    expect(r.status).toBe(201);
    const stored = (
      await db().execute(
        sql`select idx, safe_name from referral_files where referral_request_id = ${r.json.id as string} order by idx`,
      )
    ).rows;
    expect(stored).toEqual([{ idx: 0, safe_name: "file-1.png" }]);
    const kept = (
      await db().execute(
        sql`select payload->'files' as files from referral_submissions where referral_request_id = ${r.json.id as string}`,
      )
    ).rows[0] as { files: Array<Record<string, string>> };
    expect(kept.files.map((f) => f.file_value?.slice(0, 7))).toEqual(["sha256:", "", ""]);

    const names = freshPayload();
    names.client.first_name = "";
    names.agency.host = "";
    (names.form_data.fields[0] as Record<string, unknown>).type = 7;
    r = await post(names);
    expect(r.status).toBe(201);
  });
});

describe("a sender's retry of a signed message", () => {
  async function signed(c: Creds, body: string, id: string) {
    const at = new Date();
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(c.signingSecret!).sign(id, at, body),
    };
    const res = await handleReferralWebhook(webhookRequest(null, { auth: basic(c), raw: body, headers }));
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it("answers 2xx with the original result and stores nothing; the same id with another body is refused", async () => {
    const c = await newApiClient({ signed: true });
    const payload = freshPayload();
    const body = JSON.stringify(payload);
    const first = await signed(c, body, "msg_retry");
    expect(first.status).toBe(201);
    const mine = `api_client_id = '${c.id}'`;
    const before = {
      submissions: await count("referral_submissions", mine),
      audits: await count("audit_events", `actor_id = '${c.id}'`),
    };

    // The sender never saw the answer and tries again, re-signed at a later time.
    const retry = await signed(c, body, "msg_retry");
    expect(retry).toEqual(first);
    // Even after the request changed under another message, the retry answers what it answered.
    const amended = structuredClone(payload);
    amended.form_data.fields[4]!.field_value = "changed";
    expect((await signed(c, JSON.stringify(amended), "msg_amend")).status).toBe(201);
    expect(await signed(c, body, "msg_retry")).toEqual(first);
    expect(await count("referral_submissions", mine)).toBe(before.submissions + 1);
    expect(await count("audit_events", `actor_id = '${c.id}'`)).toBe(before.audits + 1);

    const other = await signed(c, JSON.stringify(freshPayload()), "msg_retry");
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({
      error: "conflict",
      issues: [{ path: "headers.webhook-id", message: "already used for another body" }],
    });
  });

  it("answers concurrent retries of one message alike, storing it once", async () => {
    const c = await newApiClient({ signed: true });
    const body = JSON.stringify(freshPayload());
    const results = await Promise.all(Array.from({ length: 8 }, () => signed(c, body, "msg_concurrent")));
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify(results[0])]));
    expect(results[0]!.status).toBe(201);
    expect(await count("referral_submissions", `api_client_id = '${c.id}'`)).toBe(1);
  });

  it("prunes message ids older than WEBHOOK_MESSAGE_RETENTION_HOURS", async () => {
    const c = await newApiClient({ signed: true });
    await db().execute(sql`insert into webhook_messages (api_client_id, message_id, received_at) values
      (${c.id}, 'msg_old', now() - interval '73 hours'), (${c.id}, 'msg_recent', now() - interval '71 hours')`);
    // Pruning runs at most once a minute per process (earlier signed deliveries here ran it): a minute on.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    try {
      expect((await signed(c, JSON.stringify(freshPayload()), "msg_new")).status).toBe(201);
    } finally {
      vi.useRealTimers();
    }
    await expect
      .poll(
        async () =>
          (
            await db().execute(
              sql`select message_id from webhook_messages where api_client_id = ${c.id} order by message_id`,
            )
          ).rows,
      )
      .toEqual([{ message_id: "msg_new" }, { message_id: "msg_recent" }]);
  });
});

describe("memory: large bodies", () => {
  /** A valid delivery of about `mb` megabytes (one file), as bytes. */
  function bigBody(mb: number): Buffer {
    const p = freshPayload();
    p.files = [
      {
        file_name: "scan.pdf",
        file_value: Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(mb * 768 * 1024, 7)]).toString("base64"),
      },
    ];
    return Buffer.from(JSON.stringify(p));
  }
  const CHUNK = 1024 * 1024;

  it("reads one large body at a time: a second waits, unread, until the first is stored", async () => {
    const first = bigBody(20);
    const second = bigBody(20);
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((r) => (releaseFirst = r));
    let firstSent = 0;
    const firstStream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Past the large-body mark, then held until the test lets it finish.
        if (firstSent > LARGE_BODY_BYTES + CHUNK) await firstHeld;
        if (firstSent >= first.length) return controller.close();
        controller.enqueue(first.subarray(firstSent, firstSent + CHUNK));
        firstSent += CHUNK;
      },
    });
    let secondPulled = 0;
    const secondStream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (secondPulled >= second.length) return controller.close();
        controller.enqueue(second.subarray(secondPulled, secondPulled + CHUNK));
        secondPulled += CHUNK;
      },
    });
    const request = (body: ReadableStream<Uint8Array>) =>
      new Request("http://localhost/api/referral-requests", {
        method: "POST",
        headers: { authorization: basic(creds), "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
    const a = handleReferralWebhook(request(firstStream));
    await expect.poll(() => firstSent).toBeGreaterThan(LARGE_BODY_BYTES + CHUNK);
    const b = handleReferralWebhook(request(secondStream));
    await new Promise((r) => setTimeout(r, 500));
    // The second stopped at the large-body mark (plus what the stream buffers ahead).
    expect(secondPulled).toBeLessThanOrEqual(LARGE_BODY_BYTES + 3 * CHUNK);
    releaseFirst();
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(secondPulled).toBeGreaterThanOrEqual(second.length);
  }, 60_000);
});

describe("API client lifecycle", () => {
  it("rotates with both secrets valid during the overlap, then only the new one", async () => {
    const c = await newApiClient();
    const rotated = await rotateApiClientSecret(getDb(), { id: c.id, overlapMinutes: 60, actor: systemActor("test") });
    expect(rotated.secret).not.toBe(c.secret);
    for (const secret of [c.secret, rotated.secret]) {
      const r = await post(freshPayload(), { auth: basic({ key: c.key, secret }) });
      expect(r.status).toBe(201);
    }
    await db().execute(
      sql`update api_clients set previous_secret_expires_at = now() - interval '1 second' where id = ${c.id}`,
    );
    clearApiClientCache(); // as if the few seconds of the credential cache had passed
    expect((await post(freshPayload(), { auth: basic({ key: c.key, secret: c.secret }) })).status).toBe(401);
    expect((await post(freshPayload(), { auth: basic({ key: c.key, secret: rotated.secret }) })).status).toBe(201);
  });

  it("refuses a revoked client", async () => {
    const c = await newApiClient();
    await revokeApiClient(getDb(), { id: c.id, actor: systemActor("test") });
    expect((await post(freshPayload(), { auth: basic(c) })).status).toBe(401);
  });

  it("a revocation or rotation made through another copy of the module (Next's server-action bundle) takes effect in the webhook at once", async () => {
    const revoked = await newApiClient();
    const rotated = await newApiClient();
    // The webhook has just accepted both: their credentials are remembered for a few seconds.
    expect((await post(freshPayload(), { auth: basic(revoked) })).status).toBe(201);
    expect((await post(freshPayload(), { auth: basic(rotated) })).status).toBe(201);
    // /admin's server action runs in another bundle, with a module instance of its own.
    vi.resetModules();
    const adminCopy = await import("./api-clients");
    expect(adminCopy.revokeApiClient).not.toBe(revokeApiClient);
    await adminCopy.revokeApiClient(getDb(), { id: revoked.id, actor: systemActor("test") });
    const next = await adminCopy.rotateApiClientSecret(getDb(), {
      id: rotated.id,
      overlapMinutes: 0,
      actor: systemActor("test"),
    });
    expect((await post(freshPayload(), { auth: basic(revoked) })).status).toBe(401);
    expect((await post(freshPayload(), { auth: basic(rotated) })).status).toBe(401);
    expect((await post(freshPayload(), { auth: basic({ key: rotated.key, secret: next.secret }) })).status).toBe(201);
  });
});

describe("Standard Webhooks signatures", () => {
  async function signedPost(c: Creds, body: string, opts: { id?: string; at?: Date; tamper?: boolean } = {}) {
    const id = opts.id ?? `msg_${randomUUID()}`;
    const at = opts.at ?? new Date();
    const signature = new Webhook(c.signingSecret!).sign(id, at, body);
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    };
    const res = await handleReferralWebhook(
      webhookRequest(null, { auth: basic(c), raw: opts.tamper ? body.replace("Jane", "Joan") : body, headers }),
    );
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it("accepts a valid signature and refuses missing, wrong, stale and replayed ones", async () => {
    const c = await newApiClient({ signed: true });
    expect(c.signingSecret).toMatch(/^whsec_/);
    const body = JSON.stringify(freshPayload());
    const ok = await signedPost(c, body, { id: "msg_fixed" });
    expect(ok.status).toBe(201);

    const unsigned = await post(freshPayload(), { auth: basic(c) });
    expect(unsigned.status).toBe(401);
    expect((unsigned.json.issues as Array<{ path: string }>).map((i) => i.path)).toEqual([
      "headers.webhook-id",
      "headers.webhook-timestamp",
      "headers.webhook-signature",
    ]);
    expect((await signedPost(c, JSON.stringify(freshPayload()), { tamper: true })).status).toBe(401);
    expect(
      (await signedPost(c, JSON.stringify(freshPayload()), { at: new Date(Date.now() - 6 * 60_000) })).status,
    ).toBe(401);

    const replay = await signedPost(c, JSON.stringify(freshPayload()), { id: "msg_fixed" });
    expect(replay.status).toBe(409);
    expect(replay.json).toMatchObject({ error: "conflict", issues: [{ path: "headers.webhook-id" }] });
  });

  it("a rotated signing secret: both sign during the overlap, only the new one after it", async () => {
    const c = await newApiClient({ signed: true });
    const rotated = await rotateApiClientSigningSecret(getDb(), {
      id: c.id,
      overlapMinutes: 60,
      actor: systemActor("test"),
    });
    expect(rotated.signingSecret).not.toBe(c.signingSecret);
    clearApiClientCache();
    expect((await signedPost(c, JSON.stringify(freshPayload()))).status).toBe(201);
    expect(
      (await signedPost({ ...c, signingSecret: rotated.signingSecret }, JSON.stringify(freshPayload()))).status,
    ).toBe(201);
    // The overlap ends: the old secret is refused, the new one still signs.
    await getDb().execute(
      sql`update api_clients set previous_signing_secret_expires_at = now() - interval '1 second' where id = ${c.id}`,
    );
    clearApiClientCache();
    expect((await signedPost(c, JSON.stringify(freshPayload()))).status).toBe(401);
    expect(
      (await signedPost({ ...c, signingSecret: rotated.signingSecret }, JSON.stringify(freshPayload()))).status,
    ).toBe(201);
    const audit = await getDb().execute<{ action: string; details: unknown }>(
      sql`select action, details from audit_events where entity_id = ${c.id} and action = 'api_client.signing_rotated'`,
    );
    expect(audit.rows).toEqual([{ action: "api_client.signing_rotated", details: { overlapMinutes: 60 } }]);
  });
});

describe("property: malformed payloads", () => {
  it("answers every one of 500 malformed payloads with a 4xx JSON error and stores nothing", async () => {
    const base = referencePayload();
    const requiredPaths: Array<Array<string | number>> = [
      ["agency"],
      ["agency", "host"],
      ["agency", "branch_id"],
      ["agency", "alayamarket_org_id"],
      ["agency", "timezone"],
      ["agency", "name"],
      ["client"],
      ["client", "id"],
      ["client", "first_name"],
      ["client", "last_name"],
      ["client", "timezone"],
      ["form_data", "fields", 0, "field_id"],
      ["form_data", "fields", 2, "field_label"],
      ["form_data", "fields", 5, "field_type"],
    ];
    // Members the spec does not require: absent is fine, a value of the wrong type is not.
    const typedPaths: Array<Array<string | number>> = [
      ["form_data", "fields"],
      ["files", 0, "file_value"],
      ["files", 0, "file_name"],
    ];
    const wrongType = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
      fc.constant({}),
      fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
    );
    const wrongValue = fc.oneof(fc.constant(undefined), wrongType);
    // form_data is required, but none of its members is: {} is a form_data.
    const notAnObject = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.double({ noNaN: true }),
    );
    const mutation = fc.oneof(
      fc.tuple(fc.constantFrom(...requiredPaths), wrongValue),
      fc.tuple(fc.constantFrom(...typedPaths), wrongType),
      fc.tuple(fc.constant(["form_data"]), notAnObject),
    );
    const mutated = mutation.map(([p, v]) => {
      const copy = structuredClone(base) as Record<string, unknown>;
      copy.request_id = randomUUID();
      let node = copy as Record<string | number, unknown>;
      for (const key of p.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      const last = p.at(-1)!;
      if (v === undefined) delete node[last];
      else node[last] = v;
      return { raw: JSON.stringify(copy), what: `${p.join(".")} = ${JSON.stringify(v)}` };
    });
    const garbage = fc
      .oneof(
        fc.string().map((s) => `{${s}`),
        fc
          .jsonValue()
          .filter((j) => typeof j !== "object" || j === null || Array.isArray(j))
          .map((j) => JSON.stringify(j)),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }).map((d) => JSON.stringify(d)),
        fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")),
      )
      .map((raw) => ({ raw, what: "garbage" }));
    const before = await totals();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, garbage), async ({ raw, what }) => {
        const res = await handleReferralWebhook(webhookRequest(null, { auth: basic(creds), raw }));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        expect(res.headers.get("content-type")).toMatch(/application\/json/);
        const body = (await res.json()) as { error: string; message: string; issues: unknown[] };
        expect(typeof body.error).toBe("string");
        expect(typeof body.message).toBe("string");
        expect(Array.isArray(body.issues)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(await totals()).toEqual(before);
    expect(statuses.get(422)).toBeGreaterThan(100);
  });
});
