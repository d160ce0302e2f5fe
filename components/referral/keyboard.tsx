"use client";

import { useRouter } from "next/navigation";
import { ShortcutsHelp, useShortcuts } from "@/components/keyboard-help";

const SHORTCUTS: Array<[string, string]> = [
  ["j", "Next request in this queue tab"],
  ["k", "Previous request in this queue tab"],
  ["c", "Claim this request"],
  ["e", "Go to the approval editor (or change a sent approval)"],
  ["a", "Approve as drafted (when the draft is complete): shows what goes to ACCloud first"],
  ["o", "Show or hide the physician's order"],
  ["[ ]", "Previous / next page of the order"],
  ["?", "Show this help"],
];

/** j/k/c/e/a/? on the referral page, as on the queue. */
export function ReferralKeyboard({ next, previous }: { next: string | null; previous: string | null }) {
  const router = useRouter();
  const dialog = useShortcuts(
    "referralKeys",
    (e) => {
      const click = (selector: string) => {
        const el = document.querySelector<HTMLElement>(selector);
        if (!el) return false;
        e.preventDefault();
        el.click();
        return true;
      };
      switch (e.key) {
        case "j":
          if (next) {
            e.preventDefault();
            router.push(`/referrals/${next}`);
          }
          break;
        case "k":
          if (previous) {
            e.preventDefault();
            router.push(`/referrals/${previous}`);
          }
          break;
        case "c":
          click('[data-testid="work-panel"] [data-claim]');
          break;
        case "a":
          click('[data-shortcut="approve-drafted"]');
          break;
        case "e": {
          const field = document.querySelector<HTMLElement>(
            '[data-testid="approval-editor"] input:not([type="hidden"]), [data-testid="approval-editor"] select',
          );
          if (field) {
            e.preventDefault();
            field.focus();
            field.scrollIntoView({ block: "center" });
          } else click('[data-shortcut="edit"]');
          break;
        }
      }
    },
    [next, previous, router],
  );
  return <ShortcutsHelp dialog={dialog} shortcuts={SHORTCUTS} />;
}
