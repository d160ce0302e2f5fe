"use client";

import { RouteError } from "@/components/route-error";

export default function AuditError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} what="audit trail" />;
}
