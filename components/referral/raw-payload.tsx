import { jsonText } from "@/lib/json/text";

/** The payload as received (file bytes replaced by their digest), collapsed by default; any depth. */
export function RawPayload({ payload, seq }: { payload: unknown; seq: number }) {
  return (
    <details className="rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="raw-payload">
      <summary className="cursor-pointer px-4 py-2.5 text-base font-semibold">Raw payload (submission {seq})</summary>
      <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-words border-t border-slate-200 bg-slate-50 p-4 font-mono text-xs text-slate-900">
        {jsonText(payload, { indent: 2 })}
      </pre>
    </details>
  );
}
