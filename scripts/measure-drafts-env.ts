/**
 * The environment of scripts/measure-drafts.ts, set before the app's modules load: that script
 * imports this module first, and ESM evaluates its imports in order.
 */
import { setInProcessEnv } from "./in-process-env";

setInProcessEnv("measure");
process.env.PUSH_MAINTENANCE_SECONDS = "5";
if (!process.env.ACCLOUD_URL) process.env.ACCLOUD_SANDBOX = "true";
