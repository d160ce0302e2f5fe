/**
 * The app's logger, on pino. Callers pass ids, counts and statuses only: never PHI. As a second
 * guard, the values of PHI-bearing keys (REDACTED_KEYS) in any object logged are censored.
 *
 * Format: one JSON object a line (pino's own: level, time, pid, hostname, scope, msg, and any
 * fields passed), or pino-pretty's readable lines: LOG_FORMAT, unset = pretty in development,
 * JSON otherwise. Level: LOG_LEVEL. Debug and info go to stdout, warn and error to stderr.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import { prettyFactory } from "pino-pretty";
import { getEnv, type TEnv } from "./env";

export type Level = TEnv["LOG_LEVEL"];
/** Extra structured fields of one line (ids, counts, statuses, durations). */
export type LogFields = Record<string, unknown>;
export type Logger = Record<Level, (msg: string, fields?: LogFields) => void>;

/**
 * Keys whose values are PHI (or credentials) wherever they sit in a logged object, from the
 * webhook's body (lib/intake/schema.ts: client, form fields, files), the ACCloud requests and
 * answers (lib/accloud/schemas.ts: demographics, service instructions, authorization member
 * numbers, referral comments), and the app's own rows and reads of them (referral_requests'
 * client columns, the referral detail read, referral_files' names).
 */
export const REDACTED_KEYS = [
  // Objects that carry PHI as a whole: the delivered payload, its client, form and files;
  // ACCloud's demographics, patient and service profile.
  "payload",
  "body",
  "client",
  "demographics",
  "form_data",
  "fields",
  "files",
  "patient",
  "profile",
  // The client.
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "clientName",
  "client_first_name",
  "client_last_name",
  "clientFirstName",
  "clientLastName",
  "birthday",
  "client_birthday",
  "clientBirthday",
  "gender",
  "email",
  "phone",
  "phone_main",
  "address",
  "city",
  "zip",
  // Form fields (diagnoses are medical-history rows of field values) and files.
  "field_value",
  "diagnosis",
  "diagnoses",
  "medical_history",
  "treatment",
  "notes",
  "file_value",
  "file_name",
  "filename",
  "file",
  "original_name",
  "originalName",
  "safe_name",
  "safeName",
  // Free text a reviewer or an agency writes about the client, and the insurance member number.
  "comment",
  "revision_comment",
  "cancellation_comment",
  "decision_comment",
  "decisionComment",
  "pending_info_note",
  "pendingInfoNote",
  "service_instructions",
  "member_number",
  "memberNumber",
  // PostgreSQL's error detail quotes the values of the row it refused.
  "detail",
  // Credentials.
  "password",
  "secret",
  "signing_secret",
  "signingSecret",
  "authorization",
  "cookie",
] as const;

/** How deep below a logged object's top the keys are looked for (pino's paths take no recursive wildcard). */
const REDACT_DEPTH = 4;
export const REDACT_PATHS = REDACTED_KEYS.flatMap((key) =>
  Array.from({ length: REDACT_DEPTH }, (_, depth) => [...Array<string>(depth).fill("*"), key].join(".")),
);
export const REDACTED = "[redacted]";

type Settings = { level: Level; format: "json" | "pretty"; destination: DestinationStream | null };
/**
 * Two roots on one destination. pino's redaction walks every line once per wildcard path (about
 * 0.1 to 1 ms a line with these paths), so only a line whose fields hold a listed key within
 * REDACT_DEPTH goes through it; the check is one walk of the fields.
 */
type Roots = { plain: PinoLogger; redacting: PinoLogger };

let roots: Roots | null = null;
let rootSettings: Settings | null = null;
let builtFrom: TEnv | null = null;
let redirect: { destination: DestinationStream; level: Level } | null = null;
const children = new Map<string, Roots>();

function pretty(stream: NodeJS.WriteStream, format: (line: string) => string): DestinationStream {
  return { write: (line: string) => void stream.write(format(line)) };
}

function destinationOf(s: Settings): DestinationStream {
  if (s.destination) return s.destination;
  // Written through process.stdout/stderr (not their file descriptors), so lines keep their
  // order with the launcher's own printed output.
  let out: DestinationStream = process.stdout;
  let err: DestinationStream = process.stderr;
  if (s.format === "pretty") {
    const format = prettyFactory({
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname,scope",
      messageFormat: "[{scope}] {msg}",
      singleLine: true,
    });
    out = pretty(process.stdout, format);
    err = pretty(process.stderr, format);
  }
  return pino.multistream(
    [
      { level: "debug", stream: out },
      { level: "warn", stream: err },
    ],
    { dedupe: true },
  );
}

function build(s: Settings): Roots {
  const destination = destinationOf(s);
  const options: pino.LoggerOptions = { level: s.level, timestamp: pino.stdTimeFunctions.isoTime };
  return {
    plain: pino(options, destination),
    redacting: pino({ ...options, redact: { paths: REDACT_PATHS, censor: REDACTED } }, destination),
  };
}

function settingsOf(env: TEnv): Settings {
  if (redirect) return { ...redirect, format: "json" };
  return {
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT ?? (env.NODE_ENV === "development" ? "pretty" : "json"),
    destination: null,
  };
}

/**
 * The roots, built on first use (the environment is read then, not at import) and again when
 * the environment was read anew with another LOG_LEVEL or LOG_FORMAT.
 */
function current(): Roots {
  const env = getEnv();
  if (roots && env === builtFrom) return roots;
  builtFrom = env;
  const s = settingsOf(env);
  if (
    !roots ||
    !rootSettings ||
    rootSettings.level !== s.level ||
    rootSettings.format !== s.format ||
    rootSettings.destination !== s.destination
  ) {
    roots = build(s);
    rootSettings = s;
    children.clear();
  }
  return roots;
}

function child(scope: string): Roots {
  const base = current();
  let c = children.get(scope);
  if (!c) {
    c = { plain: base.plain.child({ scope }), redacting: base.redacting.child({ scope }) };
    children.set(scope, c);
  }
  return c;
}

const LISTED = new Set<string>(REDACTED_KEYS);

/** Whether a redact path can match: a listed key at most REDACT_DEPTH - 1 levels down (an array index is a level, as in the paths). */
function holdsListedKey(value: unknown, depth = 0): boolean {
  if (depth >= REDACT_DEPTH || value === null || typeof value !== "object") return false;
  // An error's own properties, the non-enumerable ones too (cause), are what pino's serializer writes.
  const keys = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
  for (const key of keys) {
    if (LISTED.has(key) || holdsListedKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function write(scope: string, level: Level, msg: string, fields: LogFields | undefined): void {
  const c = child(scope);
  if (!fields) c.plain[level](msg);
  else if (holdsListedKey(fields)) c.redacting[level](fields, msg);
  else c.plain[level](fields, msg);
}

/** A logger for one part of the app; its lines carry `scope`. */
export const logger = (scope: string): Logger => ({
  debug: (msg, fields) => write(scope, "debug", msg, fields),
  info: (msg, fields) => write(scope, "info", msg, fields),
  warn: (msg, fields) => write(scope, "warn", msg, fields),
  error: (msg, fields) => write(scope, "error", msg, fields),
});

/**
 * Sends every logger's lines, as JSON, to `destination` at `level` (tests read what the app
 * really logs); null goes back to stdout/stderr at LOG_LEVEL.
 */
export function redirectLogs(destination: DestinationStream | null, level: Level = "debug"): void {
  redirect = destination ? { destination, level } : null;
  builtFrom = null;
  current();
}
