/**
 * Runs before every test file: DATABASE_URL is the database of this file's project (embedded
 * or server), given by that project's global setup. Both projects share one vitest process, so
 * the URL travels with the project instead of the process environment.
 */
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

process.env.DATABASE_URL = inject("databaseUrl");
