"use client";

import { RouteError } from "@/components/route-error";

export default function PreferencesError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} what="e-mail preferences" />;
}
