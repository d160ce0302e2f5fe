import type { ReactNode } from "react";

/** A card with a heading bar: the page's sections (the heading names the section for screen readers). */
export function Panel({
  id,
  title,
  large = false,
  testId,
  className = "rounded-lg border border-slate-200 bg-white shadow-sm",
  headingClassName = "border-b border-slate-200",
  children,
}: {
  /** the heading's id (the section is labelled by it) */
  id: string;
  title: ReactNode;
  /** a page's main sections (text-lg) rather than a detail page's panels */
  large?: boolean;
  testId?: string;
  className?: string;
  headingClassName?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={className} data-testid={testId}>
      <h2 id={id} className={`${headingClassName} px-4 py-2.5 font-semibold ${large ? "text-lg" : "text-base"}`}>
        {title}
      </h2>
      {children}
    </section>
  );
}
