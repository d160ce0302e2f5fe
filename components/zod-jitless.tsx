"use client";

// zod compiles object parsers with `new Function` when it may, and probes for that once: under
// this app's CSP (no 'unsafe-eval') the probe is refused and reported as a violation. The
// browser's forms parse small objects; they do not need the compiled parsers.
//
// zod keeps its configuration on globalThis.__zod_globalConfig (so that every copy of zod shares
// it) and takes the object it finds there. Setting it here, instead of calling z.config, keeps
// zod itself out of this module, which the root layout puts into every page's first-load JS.
const zodGlobal = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
(zodGlobal.__zod_globalConfig ??= {}).jitless = true;

/** Rendered once in the root layout, so the setting is made before any form parses. */
export function ZodJitless() {
  return null;
}
