"use client";

import { useEffect, useState } from "react";
import type { FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";

/**
 * A form's zod schema, loaded the first time it is needed. The forms check their input in the
 * browser with the very schema their server action checks, but zod and the schemas weigh about
 * 30 KB gzip: imported statically they would be in the first load of every page with a form,
 * though most visits never submit one. Loaded here, they arrive with the first validation.
 */
export type LazySchema<S extends z.ZodType> = { load: () => Promise<S>; current: () => S | null };

export function lazySchema<S extends z.ZodType>(importer: () => Promise<S>): LazySchema<S> {
  let loaded: S | null = null;
  let pending: Promise<S> | null = null;
  const load = () =>
    (pending ??= importer().then(
      (s) => (loaded = s),
      (e: unknown) => {
        // A failed download (offline for a moment) is tried again on the next validation.
        pending = null;
        throw e;
      },
    ));
  return { load, current: () => loaded };
}

/** react-hook-form's zodResolver over a schema loaded on the first validation. */
export function lazyZodResolver<In extends FieldValues, Out>(
  schema: LazySchema<z.ZodType<Out, In>> | (() => Promise<z.ZodType<Out, In>>),
): Resolver<In, unknown, Out> {
  const { load } = typeof schema === "function" ? lazySchema(schema) : schema;
  let resolver: Promise<Resolver<In, unknown, Out>> | null = null;
  return async (values, context, options) => {
    resolver ??= Promise.all([import("@hookform/resolvers/zod"), load()]).then(
      ([{ zodResolver }, s]) => zodResolver<In, unknown, Out>(s),
      (e: unknown) => {
        resolver = null;
        throw e;
      },
    );
    return (await resolver)(values, context, options);
  };
}

/** The schema once it has loaded (null until then), for a part that parses while the reviewer types. */
export function useLazySchema<S extends z.ZodType>(schema: LazySchema<S>): S | null {
  const [current, setCurrent] = useState<S | null>(schema.current);
  useEffect(() => {
    if (current) return;
    let live = true;
    schema.load().then(
      (s) => live && setCurrent(() => s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [schema, current]);
  return current;
}
