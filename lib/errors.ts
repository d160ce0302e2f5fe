/**
 * One error shape for every JSON API: { error, message, issues: [{ path, message }] }.
 * Messages never carry PHI: they name fields and rules, not values.
 */
export type ApiIssue = { path: string; message: string };

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_data: 422,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toResponse(): Response {
    return Response.json(
      { error: this.code, message: this.message, issues: this.issues, ...this.extra },
      { status: this.status, headers: { "cache-control": "no-store", ...this.headers } },
    );
  }
}

/** A code that is a code: a SQLSTATE (23505), a system code (ECONNREFUSED), one word; never a sentence. */
const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Five digits and capitals with a digit among them (EPIPE is a system code). */
const isSqlState = (code: string) => /^[0-9A-Z]{5}$/.test(code) && /[0-9]/.test(code);

/**
 * An error's name: its own, or its class's where the name is the generic one (drizzle's
 * DrizzleQueryError keeps "Error", pg's DatabaseError says "error"). drizzle's is known by its
 * shape too, as a minified bundle renames classes.
 */
function nameOf(e: object): string {
  const own = (e as { name?: unknown }).name;
  if (typeof own === "string" && own && own.toLowerCase() !== "error") return own;
  if ("query" in e && "params" in e) return "DrizzleQueryError";
  const ctor = (e as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof ctor === "string" && ctor.length > 3 && ctor !== "Error" && ctor !== "Object") return ctor;
  return typeof own === "string" && own ? own : "Error";
}

/** The error and its causes (`cause`, as drizzle wraps the driver's error), outermost first. */
function chainOf(err: unknown): object[] {
  const chain: object[] = [];
  let e: unknown = err;
  while (e && typeof e === "object" && chain.length < 6 && !chain.includes(e)) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * The code of an error or of the first of its causes that has one: PostgreSQL's SQLSTATE through
 * drizzle's wrapper, a system code through fetch's. null when none is a code.
 */
export function errorCode(err: unknown): string | null {
  for (const e of chainOf(err)) {
    const code = (e as { code?: unknown }).code;
    if ((typeof code === "string" && CODE.test(code)) || typeof code === "number") return String(code);
  }
  return null;
}

/**
 * What a log line may say about an error: the names along its cause chain, each with its code
 * (SQLSTATE, system code) and HTTP status when it has them, e.g.
 * `DrizzleQueryError < DatabaseError (SQLSTATE 23505)`. Never a message: a database error's
 * message and drizzle's (the query's parameters) can quote the values of a row.
 */
export function errorBrief(err: unknown): string {
  const chain = chainOf(err);
  if (!chain.length) return err === undefined || err === null ? "Error" : `a thrown ${typeof err}`;
  return chain
    .map((e) => {
      const { code, status } = e as { code?: unknown; status?: unknown };
      const parts: string[] = [];
      if (typeof code === "string" && CODE.test(code)) parts.push(isSqlState(code) ? `SQLSTATE ${code}` : code);
      else if (typeof code === "number") parts.push(String(code));
      if (typeof status === "number") parts.push(`status ${status}`);
      return `${nameOf(e)}${parts.length ? ` (${parts.join(", ")})` : ""}`;
    })
    .join(" < ");
}
