/**
 * The environment the app's code reads (lib/env.ts) when a script runs it in its own process
 * rather than through the launcher (bench:push, bench:duplicates, measure-drafts): errors-only
 * logs, secrets named after the script unless set, a public URL. Set before the app's modules are
 * imported.
 */
export function setInProcessEnv(name: string): void {
  process.env.LOG_LEVEL = "error";
  process.env.AUTH_SECRET ??= `${name}-auth-secret-0123456789abcdefghijkl`;
  process.env.APP_SECRET ??= `${name}-app-secret-0123456789abcdefghijklm`;
  process.env.APP_URL ??= "http://localhost:3000";
}
