import { LoadingLabel, SkeletonBlock, SkeletonRows } from "@/components/ui/skeleton";

export default function ReferralLoading() {
  return (
    <div className="space-y-4">
      <LoadingLabel>Loading the referral request…</LoadingLabel>
      <SkeletonBlock className="h-4 w-32" />
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
        <SkeletonBlock className="h-8 w-72" />
        <SkeletonRows count={8} rowClassName="h-10" className="grid grid-cols-2 gap-3 sm:grid-cols-4" />
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <SkeletonRows count={3} rowClassName="h-48" className="space-y-4" />
        <SkeletonBlock className="h-64" />
      </div>
    </div>
  );
}
