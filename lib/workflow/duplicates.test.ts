import { randomInt, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { systemActor } from "../access/actors";
import { getDb } from "../db";
import { decodeFiles } from "../intake/files";
import { ingestReferralRequest } from "../intake/ingest";
import type { TReferralRequest } from "../intake/schema";
import { findDuplicates } from "../referrals/duplicates";
import { listQueue } from "../referrals/queue";
import { parseQueueParams } from "../validations/queue";
import { actorsForFile, auditActions, makeReferral } from "../../test/support/referrals";
import { checkDuplicates, checkReadSql, markNotDuplicate, sameService } from "./duplicates";

const db = () => getDb();
const actors = actorsForFile();

/** A birthday and an agency client id no other test file uses (the fixture client is 1998-05-07, id 1094). */
const uniqueBirthday = () =>
  `18${String(randomInt(10, 99))}-${String(randomInt(1, 12)).padStart(2, "0")}-${String(randomInt(1, 28)).padStart(2, "0")}`;
const uniqueClientId = () => randomInt(100_000_000, 2_000_000_000);

type Client = {
  orgId?: string;
  clientId: number;
  first: string;
  last: string;
  birthday: string | null;
  service: string;
  start: string | null;
  end: string | null;
};

function setClient(p: TReferralRequest, c: Client) {
  p.client = { ...p.client, id: c.clientId, first_name: c.first, last_name: c.last, birthday: c.birthday ?? undefined };
  const set = (label: string, value: unknown) => {
    const f = p.form_data.fields.find((x) => x.field_label === label);
    if (f) f.field_value = value as never;
  };
  set("Service Requested", { option: { name: c.service, value: c.service } });
  set("Service start date", c.start);
  set("Service end date", c.end);
  set("Date of Birth", c.birthday);
  set("Primary subscriber birthday", c.birthday);
}

const referral = (c: Client) => makeReferral({ orgId: c.orgId, mutate: (p) => setClient(p, c) });

/** The same request_id again with other content: an amendment. */
async function amend(r: { payload: TReferralRequest; requestId: string }, c: Client) {
  const payload = structuredClone(r.payload);
  payload.request_id = r.requestId;
  setClient(payload, c);
  const files = await decodeFiles(payload.files ?? [], 50 * 1024 * 1024);
  return ingestReferralRequest(db(), { payload, files, actor: systemActor("test") });
}

const others = async (id: string) => (await findDuplicates(db(), id)).map((d) => d.referral_id).sort();

function person(over: Partial<Client> = {}): Client {
  return {
    clientId: uniqueClientId(),
    first: "Jon",
    last: "Smith",
    birthday: uniqueBirthday(),
    service: "PT",
    start: "2026-01-01",
    end: "2026-03-01",
    ...over,
  };
}

describe("sameService", () => {
  it("compares disciplines, then words, and cannot tell a missing service apart", () => {
    expect(sameService("Physical Therapy", "PT")).toEqual({ same: true, discipline: "PT" });
    expect(sameService("PT", "OT").same).toBe(false);
    expect(sameService("Wound vac", "wound-vac")).toEqual({ same: true, discipline: null });
    expect(sameService("Wound vac", "Meals").same).toBe(false);
    expect(sameService(null, "OT")).toEqual({ same: true, discipline: "OT" });
  });
});

describe("possible duplicates", () => {
  it("are found by the same agency client id, with overlapping dates and the same service, both ways round", async () => {
    const orgId = randomUUID();
    const c = person({ orgId });
    const a = await referral(c);
    // Another name (a typo or a married name): the agency's own client id says it is the client.
    const b = await referral({
      ...c,
      first: "Jonathan",
      last: "Smyth-Jones",
      service: "Physical Therapy",
      start: "2026-02-01",
      end: "2026-04-01",
    });
    expect(await others(b.id)).toEqual([a.id]);
    expect(await others(a.id)).toEqual([b.id]);
    expect((await findDuplicates(db(), b.id))[0]!.why).toBe("Same agency client id; same service (PT); dates overlap");
    // The queue row reads the stored pair.
    const rows = (await listQueue(db(), actors.reviewer, parseQueueParams({ agency: orgId }), null)).rows;
    expect(rows.find((r) => r.id === b.id)!.duplicates).toEqual([{ id: a.id, requestId: a.requestId }]);
  });

  it("are found across agencies by the same birthday and a close name, and not for another name", async () => {
    const c = person();
    const a = await referral(c);
    const b = await referral({ ...c, clientId: uniqueClientId(), first: "John" });
    const jane = await referral({ ...c, clientId: uniqueClientId(), first: "Jane" });
    expect(await others(b.id)).toEqual([a.id]);
    expect((await findDuplicates(db(), b.id))[0]!.why).toMatch(
      /^Same birthday and a close name \(\d+% alike\), from another agency; same service \(PT\)/,
    );
    expect(await others(jane.id)).toEqual([]);
    // Nothing of the person is in the words (a birthday is PHI).
    expect(JSON.stringify(await findDuplicates(db(), b.id))).not.toMatch(
      new RegExp(`${c.birthday}|Smith|${c.clientId}`),
    );
  });

  it("are not found for another service, dates that do not overlap, a closed request, or without a birthday across agencies", async () => {
    const orgId = randomUUID();
    const c = person({ orgId });
    const a = await referral(c);
    const ot = await referral({ ...c, service: "Occupational therapy" });
    const later = await referral({ ...c, start: "2026-03-02", end: "2026-05-01" });
    expect(await others(ot.id)).toEqual([]);
    expect(await others(later.id)).toEqual([]);
    // An open end overlaps everything after its start.
    const open = await referral({ ...c, start: "2026-02-15", end: null });
    expect(await others(open.id)).toEqual([a.id, later.id].sort());
    // No birthday: only the agency's client id can find it.
    const noBirthday = await referral({ ...c, orgId: randomUUID(), birthday: null });
    expect(await others(noBirthday.id)).toEqual([]);
    // A request closed without being sent is nobody's duplicate.
    await db().execute(sql`update referral_requests set status = 'cancelled' where id = ${a.id}`);
    expect(await others(open.id)).toEqual([later.id]);
    expect((await checkDuplicates(db(), open.id)).map((m) => m.otherId)).toEqual([later.id]);
  });

  it("follow an amendment: a pair it no longer matches is removed, a new one added", async () => {
    const orgId = randomUUID();
    const c = person({ orgId });
    const a = await referral(c);
    const b = await referral(c);
    expect(await others(a.id)).toEqual([b.id]);
    await amend(b, { ...c, start: "2027-01-01", end: "2027-02-01" });
    expect(await others(a.id)).toEqual([]);
    expect(await others(b.id)).toEqual([]);
    // (The first content again would be a redelivery, not an amendment.)
    await amend(b, { ...c, end: "2026-02-20" });
    expect(await others(a.id)).toEqual([b.id]);
  });

  it("of requests arriving at once are all found, without a deadlock (each is checked after its own change commits)", async () => {
    const c = person();
    // Six deliveries of one client at once, from six agencies: a deadlock would fail one (503).
    const all = await Promise.all(Array.from({ length: 6 }, () => referral({ ...c, clientId: uniqueClientId() })));
    for (const r of all)
      expect(await others(r.id)).toEqual(
        all
          .filter((x) => x !== r)
          .map((x) => x.id)
          .sort(),
      );
  });
});

describe("Not a duplicate", () => {
  it("is audited on both requests, sticks through later checks and amendments, and is marked once", async () => {
    const orgId = randomUUID();
    const c = person({ orgId });
    const a = await referral(c);
    const b = await referral(c);
    const version = async () =>
      (await db().execute<{ v: number }>(sql`select version as v from referral_requests where id = ${b.id}`)).rows[0]!
        .v;
    const before = await version();

    expect(await markNotDuplicate(db(), actors.supervisor, { referralId: b.id, otherId: a.id })).toMatchObject({
      status: "forbidden",
    });
    expect(await markNotDuplicate(db(), actors.reviewer, { referralId: b.id, otherId: a.id })).toMatchObject({
      status: "success",
    });
    expect(await others(a.id)).toEqual([]);
    expect(await others(b.id)).toEqual([]);
    // Not a state change of the referral: its version (what a reviewer edits against) is the same.
    expect(await version()).toBe(before);
    for (const [id, other] of [
      [b.id, a],
      [a.id, b],
    ] as const) {
      expect(await auditActions(id)).toContain("review.not_duplicate");
      const rec = await db().execute<{ actor_id: string; details: Record<string, unknown> }>(
        sql`select actor_id, details from audit_events where entity_id = ${id} and action = 'review.not_duplicate'`,
      );
      expect(rec.rows).toEqual([
        {
          actor_id: actors.reviewer.id,
          details: { otherId: other.id, otherRequestId: other.requestId, basis: "agency_client_id" },
        },
      ]);
    }

    await checkDuplicates(db(), a.id);
    await amend(b, { ...c, end: "2026-03-15" });
    expect(await others(a.id)).toEqual([]);
    expect(await others(b.id)).toEqual([]);
    const again = await markNotDuplicate(db(), actors.reviewer, { referralId: a.id, otherId: b.id });
    expect(again).toMatchObject({ status: "conflict" });
    expect(again.message).toContain(actors.reviewer.name);
  });

  it("of a pair that is not listed is refused without writing", async () => {
    const a = await referral(person());
    const b = await referral(person());
    expect(await markNotDuplicate(db(), actors.reviewer, { referralId: a.id, otherId: b.id })).toMatchObject({
      status: "failed",
    });
    expect(await auditActions(a.id)).not.toContain("review.not_duplicate");
  });
});

type PlanNode = { "Node Type": string; "Index Name"?: string; "Index Cond"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe("a check's read", () => {
  it("reads the agency-client and birthday indexes, the request's values their index conditions, never the whole table", async () => {
    const r = await referral(person());
    // The plan a large table gets (a test table is small enough for a sequential scan).
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const res = await tx.execute<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
        sql`explain (format json) ${checkReadSql(r.id)}`,
      );
      return nodes(res.rows[0]!["QUERY PLAN"][0]!.Plan);
    });
    const byIndex = (name: string) => plan.filter((n) => n["Index Name"] === name);
    expect(byIndex("referral_requests_agency_client")).toHaveLength(1);
    expect(byIndex("referral_requests_agency_client")[0]!["Index Cond"]).toMatch(
      /agency_org_id = \w+\.agency_org_id.*client_external_id = \w+\.client_external_id/,
    );
    expect(byIndex("referral_requests_birthday")).toHaveLength(1);
    expect(byIndex("referral_requests_birthday")[0]!["Index Cond"]).toMatch(/client_birthday = \w+\.client_birthday/);
    expect(plan.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
  });
});
