import { Link } from "@/components/ui/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16">
      <p className="text-sm font-semibold text-slate-700">404</p>
      <h1 className="mt-1 text-2xl font-bold tracking-tight">Page not found</h1>
      <Link href="/queue" className="mt-6 inline-block font-medium text-blue-800 underline underline-offset-2">
        Go to the queue
      </Link>
    </main>
  );
}
