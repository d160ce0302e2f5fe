"use client";

import { useFormState, useWatch, type Control } from "react-hook-form";
import { FIRST_DAY_LABELS, WEEKDAYS } from "@/lib/approval/constants";
import type { TApprovalInput } from "@/lib/approval/schema";
import { btnSmall, input, label } from "@/components/ui/styles";
import { errorAt, FieldError, num, NumberField, TextField, type Reg } from "./fields";
import { RulePreview } from "./rule-preview";

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
  return (
    <fieldset className="rounded-md border border-slate-300 p-3" data-testid={`authorization-${i}`}>
      <legend className="px-1 text-base font-semibold">Authorization {count > 1 ? i + 1 : ""}</legend>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,17rem)]">
        <div className="space-y-4">
          <div className="flex flex-wrap gap-6">
            <div>
              <span className={label} id={`rt-${i}`}>
                Counted in
              </span>
              <div role="radiogroup" aria-labelledby={`rt-${i}`} className="mt-1 flex gap-4 text-sm">
                {(["VISITS", "HOURS"] as const).map((v) => (
                  <label key={v} className="flex items-center gap-1.5">
                    <input type="radio" value={v} {...register(`authorizations.${i}.ruleType`)} />{" "}
                    {v === "VISITS" ? "Visits" : "Hours"}
                  </label>
                ))}
              </div>
            </div>
            <div>
              <span className={label} id={`rm-${i}`}>
                Per-day rule
              </span>
              <div role="radiogroup" aria-labelledby={`rm-${i}`} className="mt-1 flex gap-4 text-sm">
                <label className="flex items-center gap-1.5">
                  <input type="radio" value="daily" {...register(`authorizations.${i}.ruleMode`)} /> Same every day
                </label>
                <label className="flex items-center gap-1.5">
                  <input type="radio" value="weekdays" {...register(`authorizations.${i}.ruleMode`)} /> Per weekday
                </label>
              </div>
              <FieldError id={`${at("ruleMode")}`} message={err(at("ruleMode"))} />
            </div>
          </div>
          {mode === "daily" ? (
            <NumberField
              id={at("ruleDaily")}
              label={`Daily limit (${unit.toLowerCase()})`}
              register={register}
              message={err(at("ruleDaily"))}
            />
          ) : (
            <fieldset>
              <legend className={label}>Limit per weekday ({unit.toLowerCase()}); leave empty for none</legend>
              <div className="mt-1 grid grid-cols-4 gap-2 sm:grid-cols-7">
                {WEEKDAYS.map((d) => (
                  <NumberField
                    key={d}
                    id={`${at("weekdays")}.${d}`}
                    label={d.slice(0, 1).toUpperCase() + d.slice(1, 3)}
                    fullLabel={d}
                    register={register}
                    message={err(`${at("weekdays")}.${d}`)}
                    compact
                  />
                ))}
              </div>
              <FieldError id={at("ruleDaily")} message={err(at("ruleDaily"))} />
            </fieldset>
          )}
          <div className="grid gap-3 sm:grid-cols-3">
            <NumberField
              id={at("ruleWeekly")}
              label="Weekly limit"
              register={register}
              message={err(at("ruleWeekly"))}
            />
            <NumberField
              id={at("ruleMonthly")}
              label="Monthly limit"
              register={register}
              message={err(at("ruleMonthly"))}
            />
            <NumberField
              id={at("rulePeriod")}
              label="Limit for the period"
              register={register}
              message={err(at("rulePeriod"))}
            />
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label htmlFor={at("firstDayOfWeek")} className={label}>
                Weeks start on
              </label>
              <select
                id={at("firstDayOfWeek")}
                className={`${input} mt-1`}
                {...register(`authorizations.${i}.firstDayOfWeek`)}
              >
                {FIRST_DAY_LABELS.map((d, n) => (
                  <option key={d} value={n}>
                    {d}
                  </option>
                ))}
              </select>
            </div>
            <TextField
              id={at("authorizationNumber")}
              label="Authorization number"
              register={register}
              message={err(at("authorizationNumber"))}
            />
            <TextField
              id={at("memberNumber")}
              label="Member number"
              register={register}
              message={err(at("memberNumber"))}
              hint="From the primary subscriber ID"
            />
            <TextField id={at("programId")} label="Program id" register={register} message={err(at("programId"))} />
          </div>
          <TextField id={at("notes")} label="Notes (CSI only)" register={register} message={err(at("notes"))} />
          {count > 1 ? (
            <button type="button" className={btnSmall} onClick={onRemove}>
              Remove authorization {i + 1}
            </button>
          ) : null}
        </div>
        <div className="rounded-md bg-slate-50 p-3">
          <h3 className="mb-2 text-sm font-semibold">What this allows</h3>
          <RulePreview
            startDate={String(startDate ?? "")}
            endDate={String(endDate ?? "")}
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
