/**
 * bench:web's data (scripts/bench-web.ts): the million-row data set generated once per size and
 * reused, the referral requests it delivers through the webhook (a 20-page text order each), and
 * the check that each benched page answers before anything is measured.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { buildLongOrder } from "../test/documents/corpus";
import type { BenchApp } from "./bench-lib";
import { generateQueueReferrals } from "./bench-queue-data";
import { generateAuditEvents } from "./bench-supervisors-data";

export type Who = "reviewer" | "supervisor";
export type WebPage = { key: string; path: string; who: Who };
type Sizes = { rows: number; events: number };

/** The sizes the data dir was generated for: another size starts it over. */
const generatedFile = (dataDir: string) => path.join(dataDir, "bench-web.json");
export function generatedFor(dataDir: string): Sizes | null {
  try {
    return JSON.parse(readFileSync(generatedFile(dataDir), "utf8")) as Sizes;
  } catch {
    return null;
  }
}

export async function generate(app: BenchApp, dataDir: string, { rows, events }: Sizes): Promise<void> {
  const client = new pg.Client({ connectionString: app.ownerUrl });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const users = (
      await client.query<{ id: string; email: string }>("select id::text, email from users order by email")
    ).rows;
    const reviewer = users.find((u) => u.email === "reviewer@demo.test");
    if (!reviewer) throw new Error("the demo users are missing (SEED_DEMO_DATA)");
    await generateQueueReferrals(client, { rows, reviewerId: reviewer.id, decisions: true });
    const t = Date.now();
    console.log(`Generating ${events.toLocaleString("en-US")} audit events…`);
    await generateAuditEvents(client, events, rows, users);
    await client.query("select turnaround_compact()");
    console.log(`  ${((Date.now() - t) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
  writeFileSync(generatedFile(dataDir), JSON.stringify({ rows, events }));
}

/**
 * A referral request as AlayaConnector delivers one: the corpus's 20-page text order (test/documents/corpus.ts)
 * with the form that agrees with it, under a new request id and client.
 */
async function orderPayload(orderPages: number): Promise<Record<string, unknown>> {
  const { pdf, payload } = await buildLongOrder(orderPages);
  const client = payload.client as Record<string, unknown>;
  const files = payload.files as Array<{ file_name: string }>;
  return {
    ...payload,
    request_id: randomUUID(),
    client: { ...client, id: 1_000_000 + Math.floor(Math.random() * 1e8) },
    files: [{ file_name: files[0]!.file_name, file_value: pdf.toString("base64") }],
  };
}

export async function deliver(app: BenchApp, auth: string, orderPages: number): Promise<string> {
  const res = await fetch(`${app.url}/api/referral-requests`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify(await orderPayload(orderPages)),
  });
  const body = (await res.json().catch(() => null)) as { id?: string } | null;
  if (!res.ok || !body?.id)
    throw new Error(`the webhook refused the benched referral: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

export async function check(app: BenchApp, page: WebPage, cookie: string): Promise<void> {
  const res = await fetch(`${app.url}${page.path}`, { headers: { cookie }, redirect: "manual" });
  const html = await res.text();
  const rows = (html.match(/data-queue-row/g) ?? []).length;
  console.log(
    `  ${page.key.padEnd(16)} ${page.path.slice(0, 70).padEnd(72)} ${res.status} ${(html.length / 1024).toFixed(0)} KB${page.key.startsWith("queue") ? `, ${rows} rows` : ""}`,
  );
  if (res.status !== 200) throw new Error(`${page.path} answered ${res.status}`);
  if (page.key.startsWith("queue") && rows === 0) throw new Error(`${page.path} shows no rows`);
}
