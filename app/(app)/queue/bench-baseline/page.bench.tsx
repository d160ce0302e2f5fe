import { requirePageActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { listQueue } from "@/lib/referrals/queue";
import { parseQueueParams } from "@/lib/validations/queue";

/**
 * The ceiling of `npm run bench:queue`: the queue's own shell (proxy, session and scope check,
 * the app and queue layouts) and the queue's own keyset query for the same URL parameters
 * (listQueue), its 50 rows rendered as a bare table. No counts, filter options, audit record or
 * client components. Only in a build made with BENCH_BASELINE=1.
 */
export default async function QueueCeilingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("referral:read");
  const page = await listQueue(getDb(), actor, parseQueueParams(await searchParams), null);
  return (
    <table>
      <tbody>
        {page.rows.map((r) => (
          <tr key={r.id} data-queue-row="">
            <td>{r.clientName}</td>
            <td>{r.agencyName}</td>
            <td>{r.service}</td>
            <td>{r.receivedAt}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
