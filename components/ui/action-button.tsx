"use client";

import { useRouter } from "next/navigation";
import { useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/validations/action-result";
import { btnSmall } from "./styles";

/** What an action answered, as a page's message: its own words, else "Done." or "Not saved.". */
export const resultMsg = (r: ActionResult<unknown>) => ({
  ok: r.status === "success",
  text: r.message ?? (r.status === "success" ? "Done." : "Not saved."),
});

/**
 * A button that runs a server action: disabled while it runs (saying `busy`), the result handed
 * to `onResult`, and the page's server data read again after a success when `refresh` is set.
 */
export function ActionButton({
  action,
  children,
  busy,
  className = btnSmall,
  refresh = false,
  onResult,
  "aria-label": ariaLabel,
}: {
  action: () => Promise<ActionResult<unknown>>;
  children: ReactNode;
  busy: ReactNode;
  className?: string;
  refresh?: boolean;
  onResult?: (result: ActionResult<unknown>) => void;
  /** a name that says more than the button's text (which of several it is) */
  "aria-label"?: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
      aria-label={ariaLabel}
      onClick={() =>
        start(async () => {
          const result = await action();
          onResult?.(result);
          if (refresh && result.status === "success") router.refresh();
        })
      }
    >
      {pending ? busy : children}
    </button>
  );
}
