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
