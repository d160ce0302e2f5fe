import { connection } from "next/server";
import { getPool } from "@/lib/db";

/**
 * The bare baseline of the bench scripts: the first 50 rows of a status by keyset, rendered as
 * a bare table, no session, no layout of the app, no counts, no audit. Only in a build made
 * with BENCH_BASELINE=1.
 */
export default async function QueueBaselinePage() {
  await connection();
  const { rows } = await getPool().query<{
    id: string;
    first: string;
    last: string;
    agency: string;
    service: string | null;
    received: Date;
  }>(
    `select id, client_first_name as first, client_last_name as last, agency_name as agency, service_requested as service, received_at as received
     from referral_requests where status = 'new' order by received_at desc, id desc limit 50`,
  );
  return (
    <main id="main" className="p-4">
      <h1>Baseline</h1>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                {r.first} {r.last}
              </td>
              <td>{r.agency}</td>
              <td>{r.service}</td>
              <td>{r.received.toISOString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
