/**
 * The one result shape of every server action, DAL change and transition; the client branches
 * on `status`. A refusal says why in a form the UI can use: the fields (invalid_data), what
 * changed meanwhile (conflict), the missing scope (forbidden).
 */
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> = { status: "success"; message?: string; data?: T } | Refused;

/** The refusals of the union; `Conflict` is what a conflict says of the current state. */
export type Refused<Conflict = undefined> =
  | { status: "invalid_data"; message?: string; fieldErrors: FieldErrors }
  | ({ status: "conflict"; message: string } & (Conflict extends undefined ? { data?: unknown } : { data: Conflict }))
  | { status: "forbidden"; message: string; scope?: string }
  | { status: "failed"; message: string };

/**
 * The same union as a transition answers it (lib/workflow/transitions.ts): success always says
 * what happened and carries the new version; a conflict carries the referral's current state.
 */
export type Settled<T, Conflict> =
  { status: "success"; message: string; data: T & { version: number } } | Refused<Conflict>;

export const idle = <T = undefined>(): ActionResult<T> | null => null;

/** The field errors of a result, if it has any (for forms that show them). */
export const resultFieldErrors = (r: ActionResult<unknown>): FieldErrors =>
  r.status === "invalid_data" ? r.fieldErrors : {};
