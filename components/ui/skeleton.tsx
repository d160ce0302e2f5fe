export function SkeletonBlock({ className = "" }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded bg-slate-200 ${className}`} />;
}

export function LoadingLabel({ children }: { children: React.ReactNode }) {
  return (
    <p role="status" className="sr-only">
      {children}
    </p>
  );
}

/** `count` placeholder rows of one height. */
export function SkeletonRows({
  count,
  rowClassName,
  className = "space-y-2",
}: {
  count: number;
  rowClassName: string;
  className?: string;
}) {
  return (
    <div className={className}>
      {Array.from({ length: count }, (_, i) => (
        <SkeletonBlock key={i} className={rowClassName} />
      ))}
    </div>
  );
}

/** A page's loading state: its title and a card of rows (the pages that show a list or a form). */
export function PageSkeleton({ label = "Loading…", rows = 8 }: { label?: string; rows?: number }) {
  return (
    <div className="space-y-4">
      <LoadingLabel>{label}</LoadingLabel>
      <SkeletonBlock className="h-8 w-56" />
      <SkeletonRows
        count={rows}
        rowClassName="h-9 w-full"
        className="space-y-2 rounded-lg border border-slate-200 bg-white p-3"
      />
    </div>
  );
}
