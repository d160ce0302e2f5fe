/**
 * Injected faults, kept in memory (they are test set-up, not tenant state).
 * A fault matches a method and a path pattern and fires for the next `times` matching calls.
 */
import { randomUUID } from "node:crypto";

export type FaultAction =
  /** Answer this status without doing the work (429/503 may carry Retry-After). */
  | { kind: "status"; status: number; retryAfter?: number | string; body?: unknown }
  /** Wait, then do the work and answer normally. */
  | { kind: "delay"; delayMs: number }
  /** Never answer: hold the request until the caller gives up. */
  | { kind: "timeout" }
  /** Destroy the connection without doing the work. */
  | { kind: "reset" }
  /** Do the work (committed), then lose the answer: a status (default 500), a reset or a hang. */
  | { kind: "apply_then_fail"; then?: "status" | "reset" | "timeout"; status?: number; retryAfter?: number | string };

export type FaultSpec = FaultAction & {
  /** HTTP method or "*" (default "*"). */
  method?: string;
  /**
   * Path pattern matched against the request path (no query): `{name}` is one segment,
   * `*` is anything (slashes included). Example: /api/v1/alayamarket/outbox/referrals/{id}/cancel
   */
  path: string;
  /** How many matching calls fail; "always" until cleared (default 1). */
  times?: number | "always";
};

export type Fault = FaultSpec & { id: string; remaining: number | "always"; fired: number };

export class FaultRegistry {
  private faults: Fault[] = [];
  latencyMs = 0;

  add(spec: FaultSpec): Fault {
    validateFault(spec);
    const times = spec.times ?? 1;
    const fault: Fault = {
      ...spec,
      method: (spec.method ?? "*").toUpperCase(),
      id: randomUUID(),
      remaining: times,
      fired: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  /** The first matching fault with calls left; consumes one. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => (f.method === "*" || f.method === method) && pathMatches(f.path, path));
    if (!fault) return undefined;
    fault.fired += 1;
    if (fault.remaining !== "always") {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return { ...fault };
  }
}

export function pathMatches(pattern: string, path: string): boolean {
  const regex = pattern
    .split(/(\{[^}/]+\}|\*)/)
    .map((part) => {
      if (part === "*") return ".*";
      if (/^\{[^}/]+\}$/.test(part)) return "[^/]+";
      return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${regex}/?$`).test(path);
}

function validateFault(spec: FaultSpec): void {
  if (typeof spec !== "object" || spec === null) throw new Error("fault must be an object");
  if (typeof spec.path !== "string" || !spec.path.startsWith("/")) throw new Error("fault.path must start with /");
  if (spec.times !== undefined && spec.times !== "always" && !(Number.isInteger(spec.times) && spec.times > 0)) {
    throw new Error('fault.times must be a positive integer or "always"');
  }
  const isStatus = (s: unknown) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599;
  switch (spec.kind) {
    case "status":
      if (!isStatus(spec.status)) throw new Error("fault.status must be an HTTP status");
      return;
    case "delay":
      if (!(Number.isInteger(spec.delayMs) && spec.delayMs >= 0 && spec.delayMs <= 600_000)) {
        throw new Error("fault.delayMs must be 0..600000");
      }
      return;
    case "timeout":
    case "reset":
      return;
    case "apply_then_fail":
      if (spec.then !== undefined && !["status", "reset", "timeout"].includes(spec.then)) {
        throw new Error("fault.then must be status, reset or timeout");
      }
      if (spec.status !== undefined && !isStatus(spec.status)) throw new Error("fault.status must be an HTTP status");
      return;
    default:
      throw new Error("fault.kind must be status, delay, timeout, reset or apply_then_fail");
  }
}
