/**
 * `npm run worker`: a push worker on its own (more throughput, or a separate machine). Uses
 * DATABASE_URL, or shares the embedded PostgreSQL of a running `npm start` on this machine.
 */
import { getEnv } from "../lib/env";
import { bootRuntime, onShutdown } from "../lib/runtime/boot";
import { startWorker } from "../lib/worker/worker";

const runtime = await bootRuntime({ serves: true }).catch((err: Error) => {
  console.error(`Worker failed to start: ${err.message}`);
  process.exit(1);
});
let worker: Awaited<ReturnType<typeof startWorker>>;
try {
  worker = await startWorker({ databaseUrl: runtime.databaseUrl, refreshReference: getEnv().WORKER_REFRESH_REFERENCE });
} catch (err) {
  console.error(`Worker failed to start: ${(err as Error).message}`);
  await runtime.stop().catch(() => {});
  process.exit(1);
}
console.log("Push worker running. Press Ctrl-C to stop.");
onShutdown(async () => {
  await worker.stop();
  await runtime.stop();
});
