import { sql } from "drizzle-orm";
import { getDb } from "../../lib/db";
import { makeReferral } from "../support/referrals";
import type { CorpusCase } from "./corpus";

/**
 * A referral submitted with a corpus case's client and form fields and its order as the only file,
 * with the id of that stored file.
 */
export async function makeOrderReferral(c: CorpusCase) {
  const order = c.files.find((f) => f.isOrder)!;
  const ref = await makeReferral({
    mutate: (p) => {
      Object.assign(p, { client: { ...p.client, ...(c.payload.client as object) } });
      p.form_data = { ...p.form_data, fields: (c.payload.form_data as typeof p.form_data).fields };
      p.files = [{ file_name: order.name, file_value: order.bytes.toString("base64") }];
    },
  });
  const [file] = await getDb()
    .execute<{ id: string }>(sql`select id from referral_files where referral_request_id = ${ref.id}`)
    .then((r) => r.rows);
  return { ref, order, fileId: file!.id };
}
