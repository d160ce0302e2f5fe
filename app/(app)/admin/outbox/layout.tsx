import { requirePageActor } from "@/lib/auth/guards";

/** The scope check runs here, before the page's loading boundary streams, so a refusal is a real 403. */
export default async function Layout({ children }: { children: React.ReactNode }) {
  await requirePageActor("admin:settings");
  return children;
}
