import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/guards";
import { getDb } from "@/lib/db";
import { referralExists } from "@/lib/referrals/detail";

/** Runs before the page streams, so an unknown id answers a real 404 (not 200 + not-found UI). */
export default async function ReferralLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  const actor = await requirePageActor("referral:read");
  const { id } = await params;
  if (!(await referralExists(getDb(), actor, id))) notFound();
  return children;
}
