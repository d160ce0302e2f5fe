"use client";

import { useState } from "react";
import { useWatch, type Control, type FieldPath } from "react-hook-form";
import type { Alternative, Draft } from "@/lib/draft/types";
import type { FieldSource } from "@/lib/approval/prefill";
import type { EditorDraft } from "@/lib/approval/view";
import type { TApprovalInput } from "@/lib/approval/schema";
import { btnSmall } from "@/components/ui/styles";

/**
 * Where a drafted value came from, in words, beside its field: "Suggested: chosen in 12 of 13
 * approvals for ‘ABC Insurers’", a guess marked as one, and a note once the reviewer changed it.
 * "Other choices" loads the field's alternatives from the draft route on click (nothing extra is
 * sent with the page).
 */
export type ChoicesField = keyof Draft["alternatives"];

export function SourceNote<P extends FieldPath<TApprovalInput>>({
  path,
  source,
  control,
  drafted,
  choices,
}: {
  path: P;
  source: FieldSource | undefined;
  control: Control<TApprovalInput>;
  /** the drafted value: a change from it is noted */
  drafted: unknown;
  choices?: { referralId: string; field: ChoicesField; onUse: (value: unknown) => void };
}) {
  const current = useWatch({ control, name: path });
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  if (!source) return null;
  const toggle = () => {
    setOpen((o) => !o);
    if (!choices || (loaded && loaded.state !== "error")) return;
    setLoaded({ state: "loading" });
    // The draft route computes the alternatives with the draft; read (and audited) only when asked.
    fetch(`/api/referrals/${choices.referralId}/draft`, { headers: { accept: "application/json" } })
      .then((r) => (r.ok ? (r.json() as Promise<Draft>) : Promise.reject(new Error(String(r.status)))))
      .then((d) => setLoaded({ state: "ready", items: d.alternatives[choices.field] as Alternative<unknown>[] }))
      .catch(() => setLoaded({ state: "error" }));
  };
  const changed = String(current ?? "") !== String(drafted ?? "");
  const panelId = `${path.replace(/\./g, "-")}-choices`;
  return (
    <div className="mt-1 text-xs text-slate-700" data-testid={`source-${path}`} data-source-kind={source.kind}>
      <p>
        {source.guess ? (
          <span className="mr-1 rounded bg-amber-100 px-1 font-semibold text-amber-900">Guess</span>
        ) : (
          <span className="font-semibold text-slate-800">{source.kind === "history" ? "Suggested" : "From"}: </span>
        )}
        <span className="break-words">{source.text}</span>
        {changed ? <span className="font-medium text-slate-900"> · changed by you</span> : null}
      </p>
      {choices ? (
        <button
          type="button"
          className="mt-1 text-xs font-medium text-blue-800 underline underline-offset-2"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={toggle}
        >
          {open ? "Hide other choices" : "Other choices"}
        </button>
      ) : null}
      {choices && open && loaded ? (
        <OtherChoices
          id={panelId}
          loaded={loaded}
          isCurrent={(v) =>
            choices.field === "case_manager"
              ? (v as { name?: string }).name === current
              : String(v) === String(current ?? "")
          }
          onUse={(v) => {
            choices.onUse(v);
            setOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}

type Loaded = { state: "loading" } | { state: "error" } | { state: "ready"; items: Alternative<unknown>[] };

/** The field's other values with what speaks for each. */
function OtherChoices({
  id,
  loaded,
  isCurrent,
  onUse,
}: {
  id: string;
  loaded: Loaded;
  isCurrent: (value: unknown) => boolean;
  onUse: (value: unknown) => void;
}) {
  return (
    <div id={id} className="mt-1 rounded-md border border-slate-300 bg-slate-50 p-2" aria-live="polite">
      {loaded.state === "loading" ? <p>Loading the other choices…</p> : null}
      {loaded.state === "error" ? <p>The other choices could not be loaded; try again.</p> : null}
      {loaded.state === "ready" && !loaded.items.length ? <p>No other choice in past approvals.</p> : null}
      {loaded.state === "ready" && loaded.items.length ? (
        <ul className="space-y-1">
          {loaded.items.map((a, i) => (
            <li key={i} className="flex flex-wrap items-center justify-between gap-2">
              <span>
                <span className="font-medium text-slate-900">{a.label}</span> — {a.text}
              </span>
              {isCurrent(a.value) ? (
                <span className="text-xs font-medium text-slate-700">In use</span>
              ) : (
                <button type="button" className={btnSmall} onClick={() => onUse(a.value)}>
                  Use
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const MISSING_WORDS: Record<string, string> = {
  care_type: "choose the care type",
  service_code_id: "choose the service code",
  funder_id: "choose the funder",
  start_date: "enter the start date",
  end_date: "enter the end date",
  rules: "set the rules",
  "case_manager.name": "name the case manager",
};

/** The draft as a whole: complete (every value has a source) or what the reviewer still has to do. */
export function DraftStatus({ draft }: { draft: EditorDraft }) {
  const todo = [
    ...draft.missing.map((m) => MISSING_WORDS[m] ?? m),
    ...draft.invalid.map((i) => i.message.charAt(0).toLowerCase() + i.message.slice(1)),
    ...(draft.disagreements
      ? [
          `look at the order: it disagrees with the form on ${draft.disagreements} field${draft.disagreements > 1 ? "s" : ""}`,
        ]
      : []),
    ...(draft.duplicates ? ["look at the possible duplicate"] : []),
  ];
  return (
    <p
      className={`mt-2 rounded-md border p-2 text-sm ${draft.complete ? "border-green-300 bg-green-50 text-green-900" : "border-amber-300 bg-amber-50 text-amber-950"}`}
      data-testid="draft-status"
      data-complete={draft.complete}
    >
      {draft.complete
        ? "Drafted in full: every value below has a source, shown beside it. Check them, change any, then approve."
        : `Drafted in part: ${todo.join("; ")}. The source of each drafted value is shown beside it.`}
    </p>
  );
}

/** What the agency asked for and how it was read into the rules below. */
export function FrequencyNote({ frequency }: { frequency: EditorDraft["frequency"] }) {
  if (!frequency.texts.length && frequency.readable) return null;
  return (
    <div className="rounded-md border border-blue-200 bg-blue-50 p-3 text-sm" data-testid="form-hints">
      <p className="font-semibold text-slate-900">The agency asked for</p>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {frequency.texts.map((t) => (
          <div key={t.label} className="contents">
            <dt className="text-slate-700">{t.label}</dt>
            <dd className="font-medium break-words">{t.text}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-slate-800" data-testid="frequency-reading" data-readable={frequency.readable}>
        {frequency.readable ? (
          <>
            <span className="font-semibold">Read as: </span>
            {frequency.explanation}. The rules below are filled from it.
          </>
        ) : (
          frequency.explanation
        )}
      </p>
    </div>
  );
}
