/**
 * What the admin and API-client command lines share: messages go to stderr (with --json, stdout
 * carries exactly one JSON value), changes are audited as the operator, and the work runs between
 * booting and stopping the runtime, the process's exit code saying whether both went well.
 */
import { systemActor } from "../lib/access/actors";
import { getDb, type Db } from "../lib/db";
import { bootRuntime } from "../lib/runtime/boot";

export const say = (m: string) => console.error(m);

/** The audit actor of a change made from the command line. */
export const cliActor = () => systemActor(`cli (${process.env.USER ?? "operator"})`);

/** Boots the runtime, runs `work`, stops the runtime and exits: 0, or 1 with the error on stderr. */
export async function runWithRuntime(work: (db: Db) => Promise<void>): Promise<never> {
  const runtime = await bootRuntime({ log: say });
  let code = 0;
  try {
    await work(getDb());
  } catch (err) {
    say(`error: ${(err as Error).message}`);
    code = 1;
  } finally {
    await runtime.stop().catch((err: Error) => {
      say(`error: stopping failed: ${err.message}`);
      code = 1;
    });
  }
  process.exit(code);
}
