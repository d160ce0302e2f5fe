"use client";

// The core's config alone: importing "zod" here put all of zod into every page's first-load JS.
import { config } from "zod/v4/core";

// zod compiles object parsers with `new Function` when it may, and probes for that once: under
// this app's CSP (no 'unsafe-eval') the probe is refused and reported as a violation. The
// browser's forms parse small objects; they do not need the compiled parsers.
config({ jitless: true });

/** Rendered once in the root layout, so the setting is made before any form parses. */
export function ZodJitless() {
  return null;
}
