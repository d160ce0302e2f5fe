import { dateOf, textOf } from "@/lib/form/mapping";
import { formatCalendarDate } from "@/lib/format";
import { jsonText } from "@/lib/json/text";

/** A one-line reading of any field value (amendment diffs, timeline). */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  const date = dateOf(value);
  if (date) return formatCalendarDate(date);
  const text = textOf(value);
  if (text !== null) return text;
  if (Array.isArray(value)) {
    const parts = value.map((v) => textOf(v)).filter((v): v is string => v !== null);
    if (parts.length === value.length) return parts.join(", ");
  }
  return jsonText(value);
}
