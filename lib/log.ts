/** Minimal leveled logger. Callers pass ids, counts and statuses only: never PHI. */
import { getEnv } from "./env";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

function emit(level: Level, scope: string, msg: string) {
  if (LEVELS[level] < LEVELS[getEnv().LOG_LEVEL]) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${msg}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const logger = (scope: string) => ({
  debug: (m: string) => emit("debug", scope, m),
  info: (m: string) => emit("info", scope, m),
  warn: (m: string) => emit("warn", scope, m),
  error: (m: string) => emit("error", scope, m),
});
