import { Link } from "@/components/ui/link";

export default function ReferralNotFound() {
  return (
    <div
      className="mx-auto max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      data-testid="referral-not-found"
    >
      <h1 className="text-xl font-semibold">Referral request not found</h1>
      <p className="mt-2 text-sm text-slate-700">
        There is no referral request at this address. It may have been mistyped.
      </p>
      <Link href="/queue" className="mt-4 inline-block font-medium text-blue-800 underline underline-offset-2">
        Back to the queue
      </Link>
    </div>
  );
}
