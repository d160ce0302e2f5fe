"use client";

import { RouteError } from "@/components/route-error";

export default function OutboxError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} what="outbox" />;
}
