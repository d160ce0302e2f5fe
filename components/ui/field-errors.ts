import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { resultFieldErrors, type ActionResult } from "@/lib/validations/action-result";

/**
 * The one way a refused action's field errors reach a react-hook-form form: each message goes
 * on its field (keys are the schema's dotted paths); `_form` is not a field and comes back for
 * the form's own message. `only` keeps the keys this form owns when one action checks two forms.
 */
export function applyFieldErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  result: ActionResult<unknown>,
  { only = () => true, focus = false }: { only?: (key: string) => boolean; focus?: boolean } = {},
): string | undefined {
  const errors = resultFieldErrors(result);
  for (const [key, messages] of Object.entries(errors)) {
    if (key === "_form" || !only(key) || !messages?.[0]) continue;
    setError(key as Path<T>, { type: "server", message: messages[0] }, { shouldFocus: focus });
  }
  return errors._form?.[0];
}
