/** `npm run db:migrate`: apply migrations to DATABASE_URL (or the embedded database). */
import { bootRuntime } from "../lib/runtime/boot";

const runtime = await bootRuntime();
console.log(`Migrations applied to ${new URL(runtime.databaseUrl).host}`);
await runtime.stop();
