import type { IncomingMessage } from "node:http";
import type pg from "pg";
import { fail, isPlainObject, readBody, type ApiFamily, type Reply } from "./http";
import type { SandboxRules } from "./rules";

export type Ctx = {
  req: IncomingMessage;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  pool: pg.Pool;
  rules: SandboxRules;
  family: ApiFamily;
  now: () => Date;
  /** Early error answer in this route's family shape. */
  fail: (status: number, message: string, code?: string | number) => never;
  /** The JSON body (must be an object); 400 when missing or not JSON. */
  jsonObject: () => Promise<Record<string, unknown>>;
};

export type Handler = (ctx: Ctx) => Promise<Reply>;

export type RouteDef = { method: string; template: string; family: ApiFamily; handler: Handler };

/** One API family's routes, written as path template → method → handler; in that order. */
export function familyRoutes(
  family: ApiFamily,
  paths: Record<string, Partial<Record<"GET" | "POST" | "PUT" | "DELETE", Handler>>>,
): RouteDef[] {
  return Object.entries(paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, handler]) => ({ method, template, family, handler })),
  );
}

const JSON_LIMIT = 1024 * 1024;

export function makeCtx(base: Omit<Ctx, "fail" | "jsonObject">): Ctx {
  const failHere = (status: number, message: string, code?: string | number): never =>
    fail(base.family, base.rules, status, message, code);
  return {
    ...base,
    fail: failHere,
    jsonObject: async () => {
      let raw: Buffer;
      try {
        raw = await readBody(base.req, JSON_LIMIT);
      } catch (err) {
        if ((err as Error).message === "body too large") return failHere(413, "Request body too large.");
        return failHere(400, "Request body could not be read.");
      }
      let value: unknown;
      try {
        value = JSON.parse(raw.toString("utf8"));
      } catch {
        return failHere(400, base.family === "market" ? "Request body is not valid JSON." : "Invalid request");
      }
      if (!isPlainObject(value))
        return failHere(400, base.family === "market" ? "Request body must be a JSON object." : "Invalid request");
      return value;
    },
  };
}

/** page/count (Style A) from the query, validated; count is clamped to the sandbox's page cap. */
export function pageQueryA(ctx: Ctx): { page: number; count: number; offset: number } {
  const page = intParam(ctx, "page") ?? 1;
  const count = Math.min(intParam(ctx, "count") ?? 100, ctx.rules.maxPageSize);
  return { page, count, offset: (page - 1) * count };
}

/** page/items_per_page (Style B). */
export function pageQueryB(ctx: Ctx): { page: number; perPage: number; offset: number } {
  const page = intParam(ctx, "page") ?? 1;
  const perPage = Math.min(intParam(ctx, "items_per_page") ?? 100, ctx.rules.maxPageSize);
  return { page, perPage, offset: (page - 1) * perPage };
}

export function intParam(ctx: Ctx, name: string, min = 1): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > 2_147_483_647) {
    return ctx.fail(
      400,
      ctx.family === "market" ? `'${name}' must be an integer ≥ ${min}` : `Invalid value for ${name}.`,
    );
  }
  return Number(raw);
}

export function styleA<T>(items: T[], total: number, page: number, count: number) {
  return { count: items.length, page, total_pages: Math.ceil(total / count), items };
}

export function styleB<T>(items: T[], total: number, page: number, perPage: number) {
  return { page, items_per_page: perPage, total_items: total, total_pages: Math.ceil(total / perPage), items };
}

/** Path ids: anything but a positive int is simply not found. */
export function pathInt(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}
