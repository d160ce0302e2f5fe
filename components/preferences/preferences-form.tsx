"use client";

import { useState, useTransition } from "react";
import { setPreferencesAction } from "@/app/(app)/preferences/actions";
import { ResultMessage, SubmitButton } from "@/components/ui/form-field";

type Event = { key: string; label: string; hint: string };

/** On/off per event; saved together. */
export function PreferencesForm({
  events,
  initial,
  smtp,
}: {
  events: readonly Event[];
  initial: Record<string, boolean>;
  smtp: boolean;
}) {
  const [prefs, setPrefs] = useState(initial);
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <form
      aria-label="E-mail notifications"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const res = await setPreferencesAction({ prefs });
          setMessage({ ok: res.status === "success", text: res.message ?? "" });
        });
      }}
    >
      <fieldset>
        <legend className="text-base font-semibold">Send me an e-mail when…</legend>
        <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
          {events.map((ev) => (
            <li key={ev.key} className="flex items-start gap-3 px-3 py-3">
              <input
                id={`pref-${ev.key}`}
                type="checkbox"
                checked={prefs[ev.key] ?? true}
                onChange={(e) => setPrefs({ ...prefs, [ev.key]: e.target.checked })}
                aria-describedby={`pref-${ev.key}-hint`}
                className="mt-0.5 h-4 w-4 accent-blue-800"
              />
              <div>
                <label htmlFor={`pref-${ev.key}`} className="text-sm font-medium text-slate-900">
                  {ev.label}
                </label>
                <p id={`pref-${ev.key}-hint`} className="text-sm text-slate-700">
                  {ev.hint}
                </p>
              </div>
            </li>
          ))}
        </ul>
      </fieldset>
      <p className="text-sm text-slate-700">
        E-mails carry a link and the request id only, never client details.{" "}
        {smtp
          ? "They are sent to the address you sign in with."
          : "No mail server is configured here: messages are kept in the local outbox (administrators can read it)."}
      </p>
      <SubmitButton pending={pending} busy="Saving…">
        Save preferences
      </SubmitButton>
      <ResultMessage message={message} />
    </form>
  );
}
