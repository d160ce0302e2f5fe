import { Link } from "@/components/ui/link";

export default function LandingPage() {
  return (
    <main id="main" className="mx-auto max-w-3xl px-6 py-16">
      <p className="text-sm font-semibold uppercase tracking-wide text-blue-800">OptionCare CSI</p>
      <h1 className="mt-2 text-4xl font-bold tracking-tight">CSI Referral Review</h1>
      <p className="mt-4 text-lg text-slate-700">
        Home-care agencies on AlayaCare ask CSI to authorize care for their clients. Their referral requests arrive
        here, reviewers check every form field and file, set the authorization and the case manager, and approve or
        reject. Approvals go back to the agency through ACCloud; supervisors can audit every decision.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/queue" className="rounded-md bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900">
          Open the review queue
        </Link>
        <a
          href="/api/openapi.json"
          className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100"
        >
          Webhook API (OpenAPI)
        </a>
      </div>
      <section aria-labelledby="how" className="mt-12">
        <h2 id="how" className="text-xl font-semibold">
          How a referral flows
        </h2>
        <ol className="mt-3 list-decimal space-y-2 pl-6 text-slate-700">
          <li>An agency submits the “CSI New Referral Request” form; AlayaConnector posts it to the webhook.</li>
          <li>A reviewer claims it in the queue, reads the form and files, and decides.</li>
          <li>
            An approval creates the client, service, authorizations and referral in ACCloud (CSI HQ branch) and uploads
            the files.
          </li>
        </ol>
      </section>
    </main>
  );
}
