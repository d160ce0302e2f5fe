import { LoadingLabel, SkeletonBlock } from "@/components/ui/skeleton";

export default function ReferralLoading() {
  return (
    <div className="space-y-4">
      <LoadingLabel>Loading the referral request…</LoadingLabel>
      <SkeletonBlock className="h-4 w-32" />
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
        <SkeletonBlock className="h-8 w-72" />
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {Array.from({ length: 8 }, (_, i) => (
            <SkeletonBlock key={i} className="h-10" />
          ))}
        </div>
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-4">
          {Array.from({ length: 3 }, (_, i) => (
            <SkeletonBlock key={i} className="h-48" />
          ))}
        </div>
        <SkeletonBlock className="h-64" />
      </div>
    </div>
  );
}
