"use client";

import { useRouter } from "next/navigation";
import { useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/validations/action-result";
import { btnSmall } from "./styles";

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
}: {
  action: () => Promise<ActionResult<unknown>>;
  children: ReactNode;
  busy: ReactNode;
  className?: string;
  refresh?: boolean;
  onResult?: (result: ActionResult<unknown>) => void;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className={className}
      disabled={pending}
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
