/**
 * The CSV export of an audit filter, streamed at constant memory whatever its size: events are
 * read by keyset in batches of EXPORT_BATCH (one short query each, no open cursor or
 * transaction held while the client downloads), each batch described and written to
 * csv-stringify, and the next batch is read only when the stream has room (backpressure).
 *
 * Spreadsheet formula injection is neutralised: a cell starting with =, +, -, @, tab or carriage
 * return gets a leading apostrophe, so Excel and LibreOffice show it as text. Free text (the
 * keys of lib/audit/free-text.ts: notes, comments, other reasons, ACCloud's messages in older
 * records) is left out of the sentences and the details, its length in its place, whoever
 * exports: a CSV travels further than the app, which shows the text to those whose role allows.
 */
import "server-only";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { assertScope } from "../access/scopes";
import { type Actor } from "../access/actors";
import type { Db } from "../db";
import type { TAuditFilters } from "./filters";
import type { DetailItem } from "./describe";
import { groupLabel } from "../../db/schema/audit-groups";
import { describeRows, recordAuditAccess, resolveFilters, selectEvents, type ResolvedFilters } from "./query";

export const EXPORT_BATCH = 1000;

export const CSV_COLUMNS = [
  "event_id",
  "time_utc",
  "actor_type",
  "actor",
  "actor_name",
  "action",
  "action_group",
  "description",
  "entity_type",
  "entity_id",
  "request_id",
  "agency_org_id",
  "agency",
  "details",
] as const;

/** A cell a spreadsheet would run as a formula becomes text. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function flattenDetails(items: DetailItem[]): string {
  return items
    .map((i) => `${i.label}: ${typeof i.value === "string" ? i.value : `[${flattenDetails(i.value)}]`}`)
    .join("; ");
}

/** The CSV of every event of the filter, newest first, as a Node stream. */
export function auditCsvStream(
  db: Db,
  resolved: ResolvedFilters,
  opts: { batch?: number; signal?: AbortSignal } = {},
): Readable {
  const batch = opts.batch ?? EXPORT_BATCH;
  const csv = stringify({
    header: true,
    columns: [...CSV_COLUMNS],
    cast: { string: neutraliseCell, boolean: (v) => (v ? "yes" : "no") },
  });
  // Waits for the reader; a download the client abandoned closes the stream and ends the loop.
  const room = () =>
    new Promise<void>((resolve) => {
      csv.once("drain", resolve);
      csv.once("close", resolve);
    });
  void (async () => {
    try {
      let before: number | undefined;
      for (;;) {
        if (opts.signal?.aborted || csv.destroyed || resolved.empty) break;
        const rows = await selectEvents(db, resolved.where, { before, limit: batch });
        if (!rows.length) break;
        for (const e of await describeRows(db, rows, { freeText: false })) {
          const ok = csv.write({
            event_id: String(e.id),
            time_utc: e.at,
            actor_type: e.actorType,
            actor: e.actorLabel,
            actor_name: e.actorName,
            action: e.action,
            action_group: groupLabel(e.actionGroup),
            description: e.sentence,
            entity_type: e.entityType,
            entity_id: e.entityId ?? "",
            request_id: e.requestId ?? "",
            agency_org_id: e.agencyOrgId ?? "",
            agency: e.agencyName ?? "",
            details: flattenDetails(e.items),
          });
          if (!ok) await room();
          if (csv.destroyed) return;
        }
        if (rows.length < batch) break;
        before = rows[rows.length - 1]!.id;
      }
      csv.end();
    } catch (err) {
      csv.destroy(err as Error);
    }
  })();
  return csv;
}

/** An export of the trail for a filter: audited before the first byte goes out. */
export async function exportAuditTrail(
  db: Db,
  actor: Actor,
  f: TAuditFilters,
  opts: { signal?: AbortSignal } = {},
): Promise<Readable> {
  assertScope(actor, "audit:read");
  const resolved = await resolveFilters(db, f);
  await recordAuditAccess(db, actor, "audit.exported", f);
  return auditCsvStream(db, resolved, opts);
}

/** The stream as a web ReadableStream for a route handler's Response. */
export function toWebStream(node: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(node) as unknown as ReadableStream<Uint8Array>;
}
