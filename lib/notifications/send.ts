/**
 * Sending one queued notification (a job of the `notify` queue, lib/jobs/queues.ts). The row is locked while it is
 * sent (FOR UPDATE SKIP LOCKED), so two jobs for one row never both send: the second finds it
 * locked or no longer queued and stops. SMTP_URL set: nodemailer over SMTP, with a Message-ID
 * fixed per notification (a resend after a crash between the server's acceptance and our
 * status write is recognisable as the same message). SMTP_URL unset (the embedded default):
 * the message stays in the local outbox that admins read at /admin/outbox.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db";
import { getEnv } from "../env";
import { errorBrief } from "../errors";
import { logger } from "../log";

const log = logger("mail");

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
    transports.set(url, t);
  }
  return t;
}

export type DeliverOutcome = "sent" | "outbox" | "skipped" | "failed";

type Row = { id: string; status: string; to_address: string; subject: string; body: string; attempts: number };

/**
 * Sends (or files) one notification. Throws when SMTP refuses and a retry is left, so the job
 * is retried; on the last try the row ends failed with the reason.
 */
export async function deliverNotification(
  db: Db,
  id: string,
  opts: { lastTry?: boolean } = {},
): Promise<DeliverOutcome> {
  const env = getEnv();
  const conn = await db.$client.connect();
  let broken: Error | undefined;
  try {
    await conn.query("begin");
    const { rows } = await conn.query<Row>(
      "select id, status, to_address, subject, body, attempts from notifications where id = $1 for update skip locked",
      [id],
    );
    const row = rows[0];
    if (!row || row.status !== "queued") {
      await conn.query("commit");
      return "skipped";
    }
    const messageId = `<${row.id}@csi-referral-review.local>`;
    if (!env.SMTP_URL) {
      await conn.query(
        "update notifications set status = 'outbox', transport = 'outbox', message_id = $2, attempts = attempts + 1, sent_at = now() where id = $1",
        [id, messageId],
      );
      await conn.query("commit");
      return "outbox";
    }
    try {
      await transportFor(env.SMTP_URL).sendMail({
        from: env.MAIL_FROM,
        to: row.to_address,
        subject: row.subject,
        text: row.body,
        messageId,
        headers: { "auto-submitted": "auto-generated" },
      });
    } catch (err) {
      const e = err as Error & { code?: string; responseCode?: number };
      // The server's own words about the delivery, never the message: it is ours and carries no PHI anyway.
      const reason = `${e.code ?? e.name}${e.responseCode ? ` ${e.responseCode}` : ""}: ${e.message}`.slice(0, 500);
      await conn.query(
        `update notifications set attempts = attempts + 1, last_error = $2${opts.lastTry ? ", status = 'failed'" : ""} where id = $1`,
        [id, reason],
      );
      await conn.query("commit");
      log.warn(
        `notification=${id} not sent (${errorBrief(err)}${e.responseCode ? `, SMTP ${e.responseCode}` : ""})${opts.lastTry ? ": giving up" : ": will retry"}`,
      );
      if (opts.lastTry) return "failed";
      throw new Error(`SMTP refused notification ${id}: ${e.code ?? e.name}`);
    }
    await conn.query(
      "update notifications set status = 'sent', transport = 'smtp', message_id = $2, attempts = attempts + 1, last_error = null, sent_at = now() where id = $1",
      [id, messageId],
    );
    await conn.query("commit");
    return "sent";
  } catch (err) {
    await conn.query("rollback").catch((e: Error) => (broken = e));
    throw err;
  } finally {
    conn.release(broken);
  }
}
