/**
 * The one place that reads process.env. Validated with zod the first time it is used
 * (the launcher, the worker, every CLI and Next's instrumentation hook call it at boot),
 * so a bad value stops the process with a message naming the variable.
 * Every variable is documented in .env.example and the README.
 */
import { z } from "zod";
import { parseRoleMap } from "./access/role-map";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: int(3000),
    /** Address to listen on. Unset: 127.0.0.1 with the embedded PostgreSQL (a development machine), 0.0.0.0 with DATABASE_URL. */
    HOST: z.string().min(1).optional(),
    /**
     * Reverse proxies in front of the app that append the client's address to X-Forwarded-For.
     * 0: the client is the connection's peer (X-Forwarded-For, which anyone can send, is ignored).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Public base URL of the app: printed links, links in e-mails, single sign-on's callbacks. Required with DATABASE_URL (see serverSettingsProblem). */
    APP_URL: z.url().optional(),

    /** PostgreSQL. Unset: an embedded PostgreSQL is started with data in DATA_DIR. */
    DATABASE_URL: z.string().min(1).optional(),
    /**
     * The role that owns the schema: migrations run with it, then grant DATABASE_URL's role what the
     * app needs (INSERT and SELECT only on audit_events). Unset: migrations run as DATABASE_URL's
     * role. Set by the launcher for the embedded PostgreSQL (its superuser).
     */
    DATABASE_OWNER_URL: z.string().min(1).optional(),
    DATA_DIR: z.string().default(".data"),
    EMBEDDED_PG_PORT: int(54329),
    DATABASE_POOL_MAX: int(20),
    /** A connection not made within this (the server down or not answering) fails the request with 503. */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /** PostgreSQL cancels a statement after this; a server that does not answer at all is given 2 s more. */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),

    /** Secrets. Unset in development: the launcher generates them once into DATA_DIR/secrets.json. */
    AUTH_SECRET: z.string().min(32).optional(),
    /** Keys the hash of API client secrets and the encryption of webhook signing secrets. */
    APP_SECRET: z.string().min(32).optional(),

    /** Webhook intake. */
    WEBHOOK_BODY_LIMIT_BYTES: int(120 * 1024 * 1024),
    WEBHOOK_FILE_LIMIT_BYTES: int(50 * 1024 * 1024),
    /** Bodies over 8 MB read, parsed and stored at once per process (each costs several times its size in memory). */
    WEBHOOK_LARGE_BODIES_AT_ONCE: z.coerce.number().int().min(1).max(16).default(1),
    /** How long a signed message's id (and its answer, for the sender's retries) is kept. */
    WEBHOOK_MESSAGE_RETENTION_HOURS: z.coerce.number().int().min(1).default(72),

    /** Demo data. Unset: seeded into the embedded PostgreSQL, never into DATABASE_URL's (see seedDemoDataWanted). */
    SEED_DEMO_DATA: bool.optional(),
    DEMO_PASSWORD: z.string().min(8).optional(),

    /** Sessions (issue: reviewer UI). */
    SESSION_IDLE_MINUTES: int(15),
    SIGN_IN_MAX_FAILURES: int(5),
    SIGN_IN_LOCK_MINUTES: int(15),
    /** Sign-in attempts per client address, and per e-mail typed, within SIGN_IN_RATE_WINDOW_MINUTES. */
    SIGN_IN_RATE_PER_IP: z.coerce.number().int().min(1).default(50),
    SIGN_IN_RATE_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    SIGN_IN_RATE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_ROLE_CLAIM: z.string().default("roles"),
    /** Exact claim values and the role each grants: "csi-reviewers=reviewer,csi-supervisors=supervisor,csi-admins=admin". Required with OIDC_ISSUER. */
    OIDC_ROLE_MAP: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (v === undefined) return;
        const parsed = parseRoleMap(v);
        if (!parsed.ok)
          ctx.addIssue({ code: "custom", message: `must be VALUE=ROLE pairs separated by commas: ${parsed.message}` });
      }),
    REVIEW_SLA_HOURS: int(48),
    CLAIM_IDLE_MINUTES: int(30),

    /** ACCloud. Unset ACCLOUD_URL: the app starts its own ACCloud sandbox and talks to it (with DATABASE_URL only when ACCLOUD_SANDBOX=true). */
    ACCLOUD_URL: z.url().optional(),
    /** true: run against the local sandbox on purpose although DATABASE_URL is set (a staging or test server). */
    ACCLOUD_SANDBOX: bool.optional(),
    ACCLOUD_API_KEY: z.string().min(1).default("sandbox-key"),
    ACCLOUD_API_SECRET: z.string().min(1).default("sandbox-secret"),
    ACCLOUD_TIMEOUT_MS: int(15_000),
    ACCLOUD_HQ_BRANCH_ID: int(1000),
    ACCLOUD_CSI_GROUP_NAME: z.string().default("CSI"),
    ACCLOUD_REFERENCE_REFRESH_MINUTES: int(60),
    /** How often the worker reads the agency's side (processed, cancelled) of open referrals from ACCloud. */
    AGENCY_SYNC_MINUTES: int(5),
    ACCLOUD_SANDBOX_PORT: int(4010),
    ACCLOUD_SANDBOX_CONTROL_KEY: z.string().min(1).default("sandbox-control"),

    /** Worker. */
    WORKER_ENABLED: bool.default(true),
    WORKER_CONCURRENCY: int(4),
    /** The worker schedules the hourly ACCloud reference-data refresh (off for extra workers in tests). */
    WORKER_REFRESH_REFERENCE: bool.default(true),
    /** PostgreSQL schema of the job queue (pg-boss). */
    JOB_QUEUE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default("pgboss"),
    /** A push job whose worker died is retried after this many seconds. */
    PUSH_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(600),
    /** How often the queue looks for expired jobs and due retries, and the worker for stuck pushes. */
    PUSH_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
    /** Runs of a push (ACCloud answers that a retry may cure: 5xx, 429, timeouts) before it ends failed. */
    PUSH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    /** Retries of a push job that crashed or whose worker died, before the job is dead and the push ends failed. */
    PUSH_JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(4),
    /**
     * Files a worker process reads at once (the document-read job; lib/worker/document-read.ts),
     * each in a reader process of its own. 0: this worker reads none (another worker does).
     */
    DOCUMENT_READ_CONCURRENCY: z.coerce.number().int().min(0).max(8).default(1),
    /** A file with more pages is not read at all (it ends "unreadable", with the reason). */
    DOCUMENT_READ_MAX_PAGES: z.coerce.number().int().min(1).max(200).default(20),
    /** The time one page may take (text layer, drawing and OCR together); a page over it is left out. */
    DOCUMENT_READ_PAGE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),

    /** E-mail notifications. Unset SMTP_URL: messages stay in the local outbox (/admin/outbox). */
    SMTP_URL: z
      .url()
      .refine((v) => /^smtps?:\/\//.test(v), "Must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("CSI Referral Review <no-reply@localhost>"),

    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** json: one JSON object a line (for a log collector); pretty: readable lines. Unset: pretty in development, json otherwise. */
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  })
  .superRefine((env, ctx) => {
    // Single sign-on grants roles only through values configured here: no map, no sign-on.
    if (env.OIDC_ISSUER && !env.OIDC_ROLE_MAP) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ROLE_MAP"],
        message:
          "is required with OIDC_ISSUER (e.g. csi-reviewers=reviewer,csi-supervisors=supervisor,csi-admins=admin)",
      });
    }
    if (env.ACCLOUD_SANDBOX && env.ACCLOUD_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["ACCLOUD_SANDBOX"],
        message: "true asks for the local sandbox, but ACCLOUD_URL is set: set one of them",
      });
    }
  });

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

export function getEnv(): TEnv {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZEnv.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

export const isSandboxMode = () => !getEnv().ACCLOUD_URL;

/**
 * Demo data only where it cannot reach production: seeded when SEED_DEMO_DATA says so, else only
 * into the embedded PostgreSQL. Takes the environment as the operator set it, before the
 * launcher points DATABASE_URL at the embedded cluster.
 */
export const seedDemoDataWanted = (operatorEnv: TEnv) => operatorEnv.SEED_DEMO_DATA ?? !operatorEnv.DATABASE_URL;

/**
 * What a serving process (the launcher, a worker) refuses to start without when DATABASE_URL is
 * set (a server, so perhaps production): ACCloud's address, or ACCLOUD_SANDBOX=true saying that
 * the local sandbox is meant, and the app's public URL (e-mail links, single sign-on). Takes the
 * environment as the operator set it; null when nothing is missing.
 */
export function serverSettingsProblem(operatorEnv: TEnv): string | null {
  if (!operatorEnv.DATABASE_URL) return null;
  const missing: string[] = [];
  if (!operatorEnv.ACCLOUD_URL && !operatorEnv.ACCLOUD_SANDBOX)
    missing.push(
      "ACCLOUD_URL must be set when DATABASE_URL is set (the ACCloud tenant; ACCLOUD_SANDBOX=true runs against the local sandbox on purpose)",
    );
  if (!operatorEnv.APP_URL)
    missing.push(
      "APP_URL must be set when DATABASE_URL is set (the app's public base URL, for links in e-mails and single sign-on)",
    );
  return missing.length ? missing.join("; ") : null;
}
