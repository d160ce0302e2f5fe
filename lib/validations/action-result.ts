/** The one result shape of every server action; the client branches on `status`. */
export type ActionStatus = "success" | "invalid_data" | "conflict" | "forbidden" | "failed";

export type ActionResult<T = undefined> = {
  status: ActionStatus;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  data?: T;
};

export const idle = <T = undefined>(): ActionResult<T> | null => null;
