import { LoadingLabel, SkeletonBlock, SkeletonRows } from "@/components/ui/skeleton";

export default function QueueLoading() {
  return (
    <div className="space-y-4">
      <LoadingLabel>Loading the queue…</LoadingLabel>
      <SkeletonBlock className="h-8 w-56" />
      <SkeletonRows count={8} rowClassName="h-8 w-28 shrink-0" className="flex gap-2 overflow-hidden" />
      <SkeletonBlock className="h-16 w-full" />
      <SkeletonRows
        count={10}
        rowClassName="h-10 w-full"
        className="space-y-2 rounded-lg border border-slate-200 bg-white p-3"
      />
    </div>
  );
}
