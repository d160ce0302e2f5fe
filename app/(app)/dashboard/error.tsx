"use client";

import { RouteError } from "@/components/route-error";

export default function DashboardError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} what="turnaround dashboard" />;
}
