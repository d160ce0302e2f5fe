/**
 * What the client checks before it sends (the body and query against their schemas, the path
 * parameters, the query string) and how it reads what comes back (JSON, ACCloud's error bodies).
 * A request that breaks the contract is refused with an AccloudError and nothing is sent.
 */
import { z } from "zod";
import type { Endpoint, ParamKind } from "./endpoints";
import { AccloudError } from "./errors";
import { ZErrorBody } from "./schemas";

export function refused(e: Endpoint, issues: string[]): AccloudError {
  return new AccloudError({ kind: "invalid_request", method: e.method, path: e.path, retry: e.retry, issues });
}

export function checked(e: Endpoint, schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw refused(e, issuesOf(result.error));
}

const PARAM_CHECKS: Record<ParamKind, [(value: unknown) => boolean, string]> = {
  int: [(v) => Number.isInteger(v) && (v as number) > 0, "a positive integer"],
  text: [(v) => typeof v === "string" && v.trim() !== "", "a non-empty string"],
  uuid: [(v) => z.uuid().safeParse(v).success, "a UUID"],
};

export function checkParam(e: Endpoint, name: string, kind: ParamKind | undefined, value: unknown): string {
  if (kind === undefined) throw new Error(`${e.path}: path parameter ${name} is not declared`);
  const [ok, what] = PARAM_CHECKS[kind];
  if (!ok(value)) throw refused(e, [`${name}: must be ${what}`]);
  return String(value);
}

export function searchOf(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const qs = search.toString();
  return qs ? `?${qs}` : "";
}

export function issuesOf(error: z.ZodError): string[] {
  // Paths and zod's own wording only: issue messages here never include the input value.
  return error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}

export const NOT_JSON = Symbol("not JSON");

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

export function errorDetails(text: string): { code: string | number | null; message: string | null } {
  const body = ZErrorBody.safeParse(parseJson(text));
  if (!body.success) return { code: null, message: null };
  const b = body.data;
  const message = b.message ?? b.detail ?? b.description ?? b.title ?? null;
  return { code: b.code ?? b.error ?? null, message: message ? message.slice(0, 500) : null };
}
