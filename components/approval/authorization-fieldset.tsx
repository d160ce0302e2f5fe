"use client";

import { useFormState, useWatch, type Control, type FieldPath } from "react-hook-form";
import { fieldsOfKind, FIRST_DAY_LABELS, WEEKDAYS } from "@/lib/approval/authorization-fields";
import type { TApprovalInput } from "@/lib/approval/schema";
import { btnSmall, input, label } from "@/components/ui/styles";
import { errorAt, FieldError, num, NumberField, TextField, type Reg } from "./fields";
import { RulePreview } from "./rule-preview";

/** The table's fields (lib/approval/authorization-fields.ts) by the control that shows them. */
const CHOICES = [...fieldsOfKind("rule-type"), ...fieldsOfKind("rule-mode")];
const DAILY = fieldsOfKind("amount").filter((f) => f.onlyWhen === "daily");
const PER_WEEKDAY = fieldsOfKind("weekdays");
const LIMITS = fieldsOfKind("amount").filter((f) => !f.onlyWhen);
const FIRST_DAY = fieldsOfKind("first-day");
const TEXTS = fieldsOfKind("text");
const DATES = fieldsOfKind("date");

/**
 * One authorization of the approval: its rules, numbers and a live preview of what it allows.
 * It watches only its own values and the dates, so a keystroke re-renders this authorization,
 * not the whole editor.
 */
export function AuthorizationFieldset({
  index: i,
  count,
  control,
  register,
  onRemove,
}: {
  index: number;
  count: number;
  control: Control<TApprovalInput>;
  register: Reg;
  onRemove: () => void;
}) {
  const a = useWatch({ control, name: `authorizations.${i}` });
  const [startDate, endDate] = useWatch({ control, name: ["startDate", "endDate"] });
  const { errors } = useFormState({ control, name: `authorizations.${i}` });
  const err = (path: string) => errorAt(errors, path);
  const mode = a?.ruleMode === "daily" ? "daily" : "weekdays";
  const unit = a?.ruleType === "HOURS" ? "HOURS" : "VISITS";
  const at = (k: string) => `authorizations.${i}.${k}`;
  const text = (f: (typeof TEXTS)[number]) => (
    <TextField key={f.key} id={at(f.key)} label={f.label} register={register} message={err(at(f.key))} hint={f.hint} />
  );
  return (
    <fieldset className="rounded-md border border-slate-300 p-3" data-testid={`authorization-${i}`}>
      <legend className="px-1 text-base font-semibold">Authorization {count > 1 ? i + 1 : ""}</legend>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,17rem)]">
        <div className="space-y-4">
          {/* Its own dates: a phase of the frequency; empty, the approval's. */}
          <div className="grid gap-3 sm:grid-cols-2">
            {DATES.map((f) => (
              <TextField
                key={f.key}
                id={at(f.key)}
                type="date"
                label={f.label}
                register={register}
                message={err(at(f.key))}
                hint={f.hint}
              />
            ))}
          </div>
          <div className="flex flex-wrap gap-6">
            {CHOICES.map((f) => (
              <div key={f.key}>
                <span className={label} id={`${f.key}-${i}`}>
                  {f.label}
                </span>
                <div role="radiogroup" aria-labelledby={`${f.key}-${i}`} className="mt-1 flex gap-4 text-sm">
                  {Object.entries(f.options).map(([value, words]) => (
                    <label key={value} className="flex items-center gap-1.5">
                      <input type="radio" value={value} {...register(at(f.key) as FieldPath<TApprovalInput>)} /> {words}
                    </label>
                  ))}
                </div>
                <FieldError id={at(f.key)} message={err(at(f.key))} />
              </div>
            ))}
          </div>
          {mode === "daily"
            ? DAILY.map((f) => (
                <NumberField
                  key={f.key}
                  id={at(f.key)}
                  label={`${f.label} (${unit.toLowerCase()})`}
                  register={register}
                  message={err(at(f.key))}
                />
              ))
            : PER_WEEKDAY.map((f) => (
                <fieldset key={f.key}>
                  <legend className={label}>
                    {f.label} ({unit.toLowerCase()}); leave empty for none
                  </legend>
                  <div className="mt-1 grid grid-cols-4 gap-2 sm:grid-cols-7">
                    {WEEKDAYS.map((d) => (
                      <NumberField
                        key={d}
                        id={`${at(f.key)}.${d}`}
                        label={d.slice(0, 1).toUpperCase() + d.slice(1, 3)}
                        fullLabel={d}
                        register={register}
                        message={err(`${at(f.key)}.${d}`)}
                        compact
                      />
                    ))}
                  </div>
                  {/* "A daily rule cannot be combined with per-weekday rules" */}
                  {DAILY.map((daily) => (
                    <FieldError key={daily.key} id={at(daily.key)} message={err(at(daily.key))} />
                  ))}
                </fieldset>
              ))}
          <div className="grid gap-3 sm:grid-cols-3">
            {LIMITS.map((f) => (
              <NumberField key={f.key} id={at(f.key)} label={f.label} register={register} message={err(at(f.key))} />
            ))}
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            {FIRST_DAY.map((f) => (
              <div key={f.key}>
                <label htmlFor={at(f.key)} className={label}>
                  {f.label}
                </label>
                <select
                  id={at(f.key)}
                  className={`${input} mt-1`}
                  {...register(at(f.key) as FieldPath<TApprovalInput>)}
                >
                  {FIRST_DAY_LABELS.map((d, n) => (
                    <option key={d} value={n}>
                      {d}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            {TEXTS.filter((f) => !f.wide).map(text)}
          </div>
          {TEXTS.filter((f) => f.wide).map(text)}
          {count > 1 ? (
            <button type="button" className={btnSmall} onClick={onRemove}>
              Remove authorization {i + 1}
            </button>
          ) : null}
        </div>
        <div className="rounded-md bg-slate-50 p-3">
          <h3 className="mb-2 text-sm font-semibold">What this allows</h3>
          <RulePreview
            startDate={String(a?.startAt || startDate || "")}
            endDate={String(a?.endAt || endDate || "")}
            unit={unit}
            rules={{
              ruleMode: mode,
              ruleDaily: num(a?.ruleDaily),
              weekdays: Object.fromEntries(
                WEEKDAYS.map((d) => [d, num((a?.weekdays as Record<string, unknown> | undefined)?.[d])]),
              ),
              ruleWeekly: num(a?.ruleWeekly),
              ruleMonthly: num(a?.ruleMonthly),
              rulePeriod: num(a?.rulePeriod),
              firstDayOfWeek: Number(a?.firstDayOfWeek ?? 6),
            }}
          />
        </div>
      </div>
    </fieldset>
  );
}
