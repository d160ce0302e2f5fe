"use client";

import { Link } from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { confirmSamePersonAction, continueAsNewClientAction } from "@/app/(app)/referrals/[id]/actions";
import { ActionButton, resultMsg } from "@/components/ui/action-button";
import { FormField, SubmitButton } from "@/components/ui/form-field";
import { lazyZodResolver } from "@/components/ui/lazy-schema";
import { btnPrimary } from "@/components/ui/styles";
import { useActionForm } from "@/components/ui/use-action-form";
import type { ClientIdentity } from "@/lib/form/identity";
import type { ReferralDetail } from "@/lib/referrals/detail";
import type { ReferralStatus } from "@/db/schema";
import type { TConfirmSamePersonInput } from "@/lib/validations/decisions";

const confirmResolver = lazyZodResolver(() =>
  import("@/lib/validations/decisions").then((m) => m.ZConfirmSamePersonInput),
);

type Marked = NonNullable<ReferralDetail["differentPerson"]>;
type Msg = { ok: boolean; text: string } | null;

const ROWS: Array<[string, (p: ClientIdentity) => string, string | null]> = [
  ["Agency client id", (p) => (p.agencyClientId === null ? "—" : String(p.agencyClientId)), "agency client id"],
  ["Last name", (p) => p.lastName || "—", "last name"],
  ["First name", (p) => p.firstName || "—", null],
  ["Birthday", (p) => p.birthday ?? "—", "birthday"],
];

function Comparison({ marked }: { marked: Marked }) {
  return (
    <table className="mt-2 w-full border-collapse text-left text-sm">
      <caption className="sr-only">The client ACCloud has against the latest submission</caption>
      <thead>
        <tr className="text-xs uppercase tracking-wide text-slate-700">
          <th scope="col" className="py-1 pr-3">
            Client
          </th>
          <th scope="col" className="py-1 pr-3">
            In ACCloud (submission {marked.identity.seq})
          </th>
          <th scope="col" className="py-1">
            Latest (submission {marked.latest.seq})
          </th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map(([label, value, key]) => {
          const differs = key !== null && (marked.differences as string[]).includes(key);
          return (
            <tr key={label} className="border-t border-red-100 align-top">
              <th scope="row" className="py-1 pr-3 font-medium">
                {label}
                {differs ? <span className="ml-1 text-xs font-semibold text-red-800">(differs)</span> : null}
              </th>
              <td className="py-1 pr-3">{value(marked.identity.person)}</td>
              <td className={`py-1 ${differs ? "font-semibold text-red-900" : ""}`}>{value(marked.latest.person)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ConfirmSamePerson({ id, version, onDone }: { id: string; version: number; onDone: (m: Msg) => void }) {
  const router = useRouter();
  const { form, pending, onSubmit } = useActionForm<TConfirmSamePersonInput>({
    resolver: confirmResolver,
    defaultValues: { referralId: id, version, note: "" },
    action: confirmSamePersonAction,
    onResult: (r, formMessage) => {
      if (r.status === "success") {
        onDone({ ok: true, text: r.message ?? "Confirmed." });
        router.refresh();
      } else onDone({ ok: false, text: formMessage ?? r.message ?? "Not saved." });
    },
  });
  const {
    register,
    formState: { errors },
  } = form;
  return (
    <form noValidate aria-label="Confirm the same person" className="space-y-2" onSubmit={onSubmit}>
      <FormField
        id="same-person-note"
        label="How do you know it is the same person?"
        error={errors.note?.message}
        hint="For example: the agency confirmed a married name by phone. The note stays in the audit trail."
      >
        {(c) => <textarea rows={2} {...register("note")} {...c} />}
      </FormField>
      <SubmitButton pending={pending} busy="Saving…">
        Confirm: the same person
      </SubmitButton>
    </form>
  );
}

function ContinueAsNewClient({ id, version, onDone }: { id: string; version: number; onDone: (m: Msg) => void }) {
  const router = useRouter();
  return (
    <ActionButton
      className={btnPrimary}
      action={() => continueAsNewClientAction({ referralId: id, version })}
      onResult={(r) => {
        const next =
          r.status === "success" ? (r.data as { newReferralId?: string } | undefined)?.newReferralId : undefined;
        onDone(resultMsg(r));
        if (next) router.push(`/referrals/${next}`);
      }}
      busy="Creating the new request…"
    >
      Approve as a new client
    </ActionButton>
  );
}

/** What to do about the other person, by status: cancel first, then continue as a new client. */
function NewClientStep({
  status,
  id,
  version,
  canDecide,
  onDone,
}: {
  status: ReferralStatus;
  id: string;
  version: number;
  canDecide: boolean;
  onDone: (m: Msg) => void;
}) {
  if (status === "cancelled")
    return canDecide ? (
      <ContinueAsNewClient id={id} version={version} onDone={onDone} />
    ) : (
      <p>The referral is cancelled: a reviewer can approve the new person as a new client.</p>
    );
  if (status === "cancelling")
    return <p>The cancel is on its way to ACCloud; then the new person can be approved as a new client here.</p>;
  if (status === "sent" || status === "processed" || status === "push_failed")
    return (
      <p>
        First cancel the referral in ACCloud (“Cancel referral” in the review panel); then approve the new person as a
        new client here.
      </p>
    );
  return (
    <p>
      Wait until the push to ACCloud ends, then cancel the referral and approve the new person as a new client here.
    </p>
  );
}

/**
 * "Different person": the latest submission names another client than the one the referral's
 * ACCloud client stands for. Says so in words, shows both, and offers the two ways out. Also the
 * links between a referral and the one that continues it as a new client.
 */
/** What the panel shows: never the whole detail (a client component's props go to the browser). */
export type DifferentPersonProps = Pick<ReferralDetail, "id" | "differentPerson" | "continues" | "continuedAs"> & {
  snapshot: Pick<ReferralDetail["snapshot"], "status" | "version">;
};

export function DifferentPerson({ d, canDecide }: { d: DifferentPersonProps; canDecide: boolean }) {
  const [msg, setMsg] = useState<Msg>(null);
  const marked = d.differentPerson;
  const s = d.snapshot;
  return (
    <>
      {d.continues ? (
        <p className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm" data-testid="continues">
          This request continues referral request{" "}
          <Link
            href={`/referrals/${d.continues.id}`}
            className="font-medium text-blue-800 underline underline-offset-2"
          >
            {d.continues.requestId}
          </Link>{" "}
          as a new client: the agency named another person there. Approving it creates a new client in ACCloud.
        </p>
      ) : null}
      {d.continuedAs ? (
        <p className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm" data-testid="continued-as">
          The other person the agency named continues as referral request{" "}
          <Link
            href={`/referrals/${d.continuedAs.id}`}
            className="font-medium text-blue-800 underline underline-offset-2"
          >
            {d.continuedAs.requestId}
          </Link>
          , a new client in ACCloud. The agency&apos;s later submissions go there.
        </p>
      ) : null}
      {marked ? (
        <section
          aria-labelledby="different-person-title"
          className="rounded-lg border-2 border-red-700 bg-white shadow-sm"
          data-testid="different-person"
        >
          <h2
            id="different-person-title"
            className="border-b border-red-200 bg-red-50 px-4 py-2.5 text-base font-semibold text-red-950"
          >
            Different person
          </h2>
          <div className="space-y-3 px-4 py-3 text-sm">
            <p className="text-slate-900">{marked.reason}</p>
            <Comparison marked={marked} />
            <p className="text-slate-800">
              &ldquo;Send update&rdquo; and sending the latest submission&apos;s files are refused: they would put this
              person&apos;s details on the other person&apos;s record in ACCloud.
            </p>
            <div className="grid gap-4 md:grid-cols-2">
              <div className="space-y-2 rounded-md border border-slate-200 p-3">
                <h3 className="font-semibold">It is the same person (a correction)</h3>
                <p className="text-slate-700">
                  The latest details become the client&apos;s; an update may then send them to ACCloud.
                </p>
                {canDecide ? <ConfirmSamePerson id={d.id} version={s.version} onDone={setMsg} /> : null}
              </div>
              <div className="space-y-2 rounded-md border border-slate-200 p-3">
                <h3 className="font-semibold">It is another person</h3>
                <p className="text-slate-700">
                  The first person&apos;s record in ACCloud stays as it is; the new person becomes a request of their
                  own and a new client.
                </p>
                <NewClientStep status={s.status} id={d.id} version={s.version} canDecide={canDecide} onDone={setMsg} />
              </div>
            </div>
          </div>
        </section>
      ) : null}
      {msg ? (
        <p
          role={msg.ok ? "status" : "alert"}
          className={`rounded-md p-2 text-sm ${msg.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
        >
          {msg.text}
        </p>
      ) : null}
    </>
  );
}
