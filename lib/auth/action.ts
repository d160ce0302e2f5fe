/**
 * The frame of every server action: session + scope first, then zod, then the DAL; an
 * unexpected error answers "failed" and is logged by name only (no values: they may be PHI).
 * A value PostgreSQL refuses (a data exception, a limit) fails the same on every retry: it is
 * invalid data, never "try again" (the schemas name the field first: lib/validations/text.ts).
 */
import "server-only";
import type { z } from "zod";
import { isUnstorableValue } from "../db";
import { errorBrief } from "../errors";
import { logger } from "../log";
import type { ActionResult } from "../validations/action-result";
import { fieldErrorsOf } from "../validations/decisions";
import { actionActor } from "./guards";
import { ScopeError, type Scope } from "../access/scopes";
import { type Actor } from "../access/actors";

const log = logger("action");

export async function runAction<S extends z.ZodType, R extends ActionResult<unknown>>(
  name: string,
  scope: Scope | "admin:*",
  schema: S,
  input: unknown,
  fn: (actor: Actor, data: z.infer<S>) => Promise<R>,
): Promise<R | ActionResult<never>> {
  const auth = await actionActor(scope);
  if (!auth.ok) return auth.result;
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    return {
      status: "invalid_data",
      fieldErrors: fieldErrorsOf(parsed.error),
      message: "Check the highlighted fields.",
    };
  try {
    return await fn(auth.actor, parsed.data);
  } catch (err) {
    if (err instanceof ScopeError) return { status: "forbidden", message: `${err.message}.` };
    log.error(`${name} failed: ${errorBrief(err)}`);
    if (isUnstorableValue(err) || isUnstorableValue((err as { cause?: unknown } | null)?.cause)) {
      const message =
        "Part of what you entered cannot be stored (a character or a value the database refuses). Nothing was saved: change it before saving again.";
      return { status: "invalid_data", message, fieldErrors: { _form: [message] } };
    }
    return { status: "failed", message: "Something went wrong and nothing was saved. Try again." };
  }
}
