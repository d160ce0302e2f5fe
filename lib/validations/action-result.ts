/**
 * The one result shape of every server action, DAL change and transition; the client branches
 * on `status`. A refusal says why in a form the UI can use: the fields (invalid_data), what
 * changed meanwhile (conflict), the missing scope (forbidden).
 */
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { status: "success"; message?: string; data?: T }
  | { status: "invalid_data"; message?: string; fieldErrors: FieldErrors }
  | { status: "conflict"; message: string; data?: unknown }
  | { status: "forbidden"; message: string; scope?: string }
  | { status: "failed"; message: string };

export type ActionStatus = ActionResult["status"];

export const idle = <T = undefined>(): ActionResult<T> | null => null;

/** The field errors of a result, if it has any (for forms that show them). */
export const resultFieldErrors = (r: ActionResult<unknown>): FieldErrors =>
  r.status === "invalid_data" ? r.fieldErrors : {};
