import { LoadingLabel, SkeletonBlock } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="space-y-4">
      <LoadingLabel>Loading…</LoadingLabel>
      <SkeletonBlock className="h-8 w-56" />
      <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3">
        {Array.from({ length: 8 }, (_, i) => (
          <SkeletonBlock key={i} className="h-9 w-full" />
        ))}
      </div>
    </div>
  );
}
