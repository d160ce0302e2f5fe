import { LoadingLabel, SkeletonBlock } from "@/components/ui/skeleton";

export default function QueueLoading() {
  return (
    <div className="space-y-4">
      <LoadingLabel>Loading the queue…</LoadingLabel>
      <SkeletonBlock className="h-8 w-56" />
      <div className="flex gap-2 overflow-hidden">
        {Array.from({ length: 8 }, (_, i) => (
          <SkeletonBlock key={i} className="h-8 w-28 shrink-0" />
        ))}
      </div>
      <SkeletonBlock className="h-16 w-full" />
      <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3">
        {Array.from({ length: 10 }, (_, i) => (
          <SkeletonBlock key={i} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
