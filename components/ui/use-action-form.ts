"use client";

import { useTransition } from "react";
import { useForm, type DefaultValues, type FieldValues, type Resolver, type UseFormReturn } from "react-hook-form";
import type { ActionResult } from "@/lib/validations/action-result";
import { applyFieldErrors } from "./field-errors";

/**
 * A react-hook-form form whose submit runs a server action: the schema checks it in the browser
 * (the same schema the action checks), the action's field errors go back onto the fields, and
 * `onResult` gets the result with the form-level message, if any. `pending` while it runs.
 */
export function useActionForm<TIn extends FieldValues, TOut = TIn>({
  resolver,
  defaultValues,
  action,
  onResult,
}: {
  resolver: Resolver<TIn, unknown, TOut>;
  defaultValues: DefaultValues<TIn>;
  action: (values: TOut) => Promise<ActionResult<unknown>>;
  onResult?: (
    result: ActionResult<unknown>,
    formMessage: string | undefined,
    form: UseFormReturn<TIn, unknown, TOut>,
  ) => void;
}) {
  const [pending, start] = useTransition();
  const form = useForm<TIn, unknown, TOut>({ resolver, defaultValues });
  const onSubmit = form.handleSubmit((values) =>
    start(async () => {
      const result = await action(values);
      onResult?.(result, applyFieldErrors(form.setError, result), form);
    }),
  );
  return { form, pending, onSubmit };
}
