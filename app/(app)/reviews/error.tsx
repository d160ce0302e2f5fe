"use client";

import { RouteError } from "@/components/route-error";

export default function ReviewsError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} what="second reviews" />;
}
