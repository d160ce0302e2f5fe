import type { ReactNode } from "react";
import { dateOf, textOf } from "@/lib/form/mapping";
import { formatCalendarDate } from "@/lib/format";
import type { ViewField } from "@/lib/form/fields";
import { jsonText } from "@/lib/json/text";
import { medicalHistoryTable } from "./medical-history";

const notProvided = <span className="italic text-slate-600">Not provided</span>;

function dateValue(value: unknown) {
  const d = dateOf(value);
  if (d) return <time dateTime={d}>{formatCalendarDate(d)}</time>;
  const t = textOf(value);
  return t ? <span>{t}</span> : notProvided;
}

function listText(value: unknown): string | null {
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((v): v is string => v !== null);
    return parts.length ? parts.join(", ") : null;
  }
  return textOf(value);
}

/** The file name at the end of a URL, readable; the URL as it is when it is not valid percent-encoding ("100%.png"). */
function lastSegment(url: string): string {
  const segment = url.split(/[?#]/)[0]!.split("/").pop() || url;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The host of an http(s) URL, or null when the value is not one. */
function remoteHost(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

/** A value as JSON text, however deep (never JSON.stringify's stack overflow). */
export function RawValue({ value }: { value: unknown }) {
  return (
    <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono text-xs">
      {jsonText(value, { indent: 2 })}
    </pre>
  );
}

function unknownValue(field: ViewField) {
  const v = field.value;
  return (
    <div>
      <span className="mb-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
        field type “{field.type}”
      </span>
      {v === null || v === undefined ? (
        notProvided
      ) : typeof v === "object" ? (
        <RawValue value={v} />
      ) : (
        <span className="whitespace-pre-wrap">{String(v)}</span>
      )}
    </div>
  );
}

/**
 * One field, rendered by its type; unknown types are shown as they are, never dropped. Built
 * eagerly (plain calls, not nested components) so that FieldGroups can catch whatever one odd
 * value throws and show that value raw instead of failing the page.
 */
export function fieldValue(field: ViewField): ReactNode {
  const v = field.value;
  const kind =
    field.type === "demographics"
      ? field.subtype === "bday"
        ? "date"
        : field.subtype === "list"
          ? "list"
          : "text"
      : field.type;
  switch (kind) {
    case "text":
    case "number": {
      const t = textOf(v);
      return t === null ? notProvided : <span className={kind === "number" ? "tabular-nums" : ""}>{t}</span>;
    }
    case "textarea": {
      const t = textOf(v);
      return t === null ? notProvided : <span className="whitespace-pre-wrap">{t}</span>;
    }
    case "date":
      return dateValue(v);
    case "checkbox": {
      if (v === null || v === undefined) return notProvided;
      const yes = v === true || v === "true" || v === 1 || v === "1" || v === "yes";
      return <span>{yes ? "Yes" : "No"}</span>;
    }
    case "list": {
      const t = listText(v);
      return t === null ? notProvided : <span>{t}</span>;
    }
    case "picture": {
      const url = textOf(v);
      if (!url) return notProvided;
      const host = remoteHost(url);
      if (!host) return <span className="break-all">{url}</span>;
      const name = lastSegment(url);
      // Never loaded with the page (a remote picture would tell its host who opened the request,
      // and when: a tracking pixel): the reviewer opens it, knowing from where. CSP img-src allows
      // no remote host either (proxy.ts).
      return (
        <div>
          <a
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            referrerPolicy="no-referrer"
            className="break-all font-medium text-blue-800 underline underline-offset-2"
            data-picture-url={url}
            data-picture-host={host}
          >
            {name}
            <span className="sr-only"> (opens the agency’s copy in a new tab)</span>
          </a>
          <p className="mt-0.5 text-xs text-slate-700">
            Picture on <span className="font-medium">{host}</span>: not loaded here; it opens from there when you follow
            the link.
          </p>
        </div>
      );
    }
    case "medical_history":
      return medicalHistoryTable(v, field.label);
    default:
      return unknownValue(field);
  }
}
