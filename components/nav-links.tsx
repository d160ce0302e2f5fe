"use client";

import { Link } from "@/components/ui/link";
import { usePathname } from "next/navigation";

export function NavLinks({ links }: { links: Array<{ href: string; label: string }> }) {
  const pathname = usePathname();
  return (
    <ul className="flex items-center gap-1">
      {links.map((l) => {
        const current = pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={current ? "page" : undefined}
              className={`rounded-md px-2 py-1.5 text-sm sm:px-2.5 font-medium ${current ? "bg-blue-50 text-blue-900" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"}`}
            >
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
