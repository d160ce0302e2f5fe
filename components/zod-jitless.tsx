"use client";

import { z } from "zod";

// zod compiles object parsers with `new Function` when it may, and probes for that once: under
// this app's CSP (no 'unsafe-eval') the probe is refused and reported as a violation. The
// browser's forms parse small objects; they do not need the compiled parsers.
z.config({ jitless: true });

/** Rendered once in the root layout, so the setting is made before any form parses. */
export function ZodJitless() {
  return null;
}
