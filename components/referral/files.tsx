import type { ReferralDetail } from "@/lib/referrals/detail";
import { hasScope } from "@/lib/access/scopes";
import { type Actor } from "@/lib/access/actors";
import { DocumentsForm } from "./documents-form";
import { FilePreview } from "./file-preview";
import { Panel } from "@/components/ui/panel";

const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Files through the authenticated route: every view and download is audited. */
export function ReferralFiles({ d, actor }: { d: ReferralDetail; actor?: Actor }) {
  const sent = d.snapshot.status === "sent" || d.snapshot.status === "processed";
  const canSend = Boolean(actor && hasScope(actor, "referral:decide") && hasScope(actor, "referral:push"));
  const unsentLatest = d.files.filter((f) => f.current && !f.addedByReviewer && !f.inAccloud).length;
  return (
    <Panel
      id="files-title"
      title={
        <>
          Files <span className="font-normal text-slate-600">({d.files.length})</span>
        </>
      }
    >
      {d.files.length ? (
        <ul className="divide-y divide-slate-100">
          {d.files.map((f) => {
            const href = `/api/referrals/${d.id}/files/${f.id}`;
            return (
              <li key={f.id} className="px-4 py-3" data-file={f.safeName}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <div className="min-w-0">
                    <p className="break-all text-sm font-medium">{f.originalName}</p>
                    <p className="text-xs text-slate-700">
                      {f.contentType} · {size(f.size)}
                      {f.originalName !== f.safeName ? ` · stored as ${f.safeName}` : ""}
                      {!f.current ? ` · from submission ${f.seq} (superseded)` : ""}
                      {f.addedByReviewer ? " · added by CSI" : ""}
                      {d.accloudReferralId ? (f.inAccloud ? " · in ACCloud" : " · not in ACCloud") : ""}
                    </p>
                  </div>
                  <div className="flex gap-2 text-sm">
                    <a
                      href={href}
                      target="_blank"
                      rel="noopener"
                      className="font-medium text-blue-800 underline underline-offset-2"
                      data-file-view
                    >
                      View<span className="sr-only"> {f.originalName} (new tab)</span>
                    </a>
                    <a
                      href={`${href}?download=1`}
                      className="font-medium text-blue-800 underline underline-offset-2"
                      data-file-download
                    >
                      Download<span className="sr-only"> {f.originalName}</span>
                    </a>
                  </div>
                </div>
                <FilePreview href={href} contentType={f.contentType} name={f.originalName} />
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="px-4 py-3 text-sm text-slate-700">No files were sent with this request.</p>
      )}
      {sent && canSend ? (
        <DocumentsForm referralId={d.id} version={d.snapshot.version} unsentLatest={unsentLatest} />
      ) : null}
    </Panel>
  );
}
