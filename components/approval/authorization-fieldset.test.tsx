/**
 * The authorization fieldset shows an input for every field of the table
 * (lib/approval/authorization-fields.ts) in the rule mode it belongs to, with the table's label:
 * a field added to the table alone gets its input, or this test names it. Rendered with React's
 * server renderer, as the page's first load is.
 */
import { useForm } from "react-hook-form";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import {
  AUTHORIZATION_FIELDS,
  inRuleMode,
  WEEKDAYS,
  type AuthorizationFieldRow,
  type RuleMode,
} from "@/lib/approval/authorization-fields";
import { emptyAuthorization } from "@/lib/approval/constants";
import type { TApprovalInput } from "@/lib/approval/schema";
import { AuthorizationFieldset } from "./authorization-fieldset";

function Fieldset({ mode }: { mode: RuleMode }) {
  const { control, register } = useForm<TApprovalInput>({
    defaultValues: {
      startDate: "2026-03-02",
      endDate: "2026-04-30",
      authorizations: [{ ...emptyAuthorization(), ruleMode: mode }],
    },
  });
  return <AuthorizationFieldset index={0} count={1} control={control} register={register} onRemove={() => {}} />;
}

/** The form names of a field's inputs (the weekdays: one per day). */
const namesOf = (f: AuthorizationFieldRow) =>
  f.kind === "weekdays" ? WEEKDAYS.map((d) => `authorizations.0.${f.key}.${d}`) : [`authorizations.0.${f.key}`];

describe("the authorization fieldset", () => {
  for (const mode of ["daily", "weekdays"] as const) {
    it(`has an input for each field of the table, with its label (rule mode ${mode})`, () => {
      const html = renderToStaticMarkup(<Fieldset mode={mode} />);
      const text = html.replace(/<!-- -->/g, "").replace(/&#x27;/g, "'");
      for (const f of AUTHORIZATION_FIELDS as readonly AuthorizationFieldRow[]) {
        for (const name of namesOf(f)) {
          const shown = html.includes(`name="${name}"`);
          expect(shown, `${name} ${inRuleMode(f, mode) ? "shown" : "hidden"} in rule mode ${mode}`).toBe(
            inRuleMode(f, mode),
          );
        }
        if (!inRuleMode(f, mode)) continue;
        expect(text, `${f.key}'s label`).toContain(f.label);
        if (f.hint) expect(text, `${f.key}'s hint`).toContain(f.hint);
        for (const [value, words] of Object.entries(f.options ?? {})) {
          expect(html, `${f.key}'s option ${value}`).toContain(`value="${value}"`);
          expect(text, `${f.key}'s option ${value}`).toContain(words);
        }
      }
    });
  }
});
