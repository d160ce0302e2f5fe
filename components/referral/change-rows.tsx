import type { Change } from "@/lib/form/diff";
import { valueText } from "./value-text";

/** A table body of changes: what changed, its value before (or `absent`), and after. */
export function ChangeRows({
  changes,
  absent,
  beforeClassName = "py-1.5 pr-3 text-slate-700",
}: {
  changes: Change[];
  absent: string;
  beforeClassName?: string;
}) {
  return changes.map((c) => (
    <tr key={c.label} className="border-b border-slate-100 align-top">
      <th scope="row" className="py-1.5 pr-3 text-left font-medium">
        {c.label}
      </th>
      <td className={beforeClassName}>{c.kind === "added" ? absent : valueText(c.before)}</td>
      <td className="py-1.5 font-medium">{c.kind === "removed" ? "(removed)" : valueText(c.after)}</td>
    </tr>
  ));
}
