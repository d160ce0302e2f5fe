"use client";

import { Fragment } from "react";
import type { Control, UseFormRegister, UseFormSetValue } from "react-hook-form";
import type { TApprovalInput } from "@/lib/approval/schema";
import type { ApprovalEditorData } from "@/lib/approval/view";
import type { CaseManager } from "@/lib/draft/types";
import { errorText, label } from "@/components/ui/styles";
import { SourceNote, type ChoicesField } from "./draft-notes";
import { FieldError, SelectField, TextField } from "./fields";

type Parts = {
  p: ApprovalEditorData;
  register: UseFormRegister<TApprovalInput>;
  control: Control<TApprovalInput>;
  setValue: UseFormSetValue<TApprovalInput>;
  err: (path: string) => string | undefined;
};

/** What ACCloud keeps of a sent referral, shown instead of its controls in an update. */
const FIXED = [
  ["Care type", "careType"],
  ["Service code", "serviceCode"],
  ["Funder", "funder"],
  ["Agency", "agency"],
] as const;

/** The case manager's contact fields beside the drafted name. */
const CONTACT = [
  ["caseManager.phone", "Phone", "tel"],
  ["caseManager.fax", "Fax", "tel"],
  ["caseManager.email", "E-mail", "email"],
] as const;

type Path = "careType" | "serviceCodeId" | "funderId" | "startDate" | "endDate" | "caseManager.name";

/** What every field of the editor takes for its path: the id, the form's register and its error. */
const bind = ({ register, err }: Parts, id: string) => ({ id, register, message: err(id) });

/** The source note of a drafted field, with its other choices where past approvals have some. */
function note({ p, control, setValue }: Parts, path: Path, field?: ChoicesField) {
  const source = p.draft?.sources[path];
  if (!source) return undefined;
  const drafted = path === "caseManager.name" ? p.defaults.caseManager.name : p.defaults[path];
  return (
    <SourceNote
      path={path}
      source={source}
      control={control}
      drafted={drafted}
      choices={
        field && (p.draft?.others[field] ?? 0) > 0
          ? {
              referralId: p.referralId,
              field,
              onUse: (v) => {
                const opts = { shouldDirty: true, shouldValidate: true };
                if (field === "case_manager") {
                  const cm = v as CaseManager;
                  setValue("caseManager", { name: cm.name, phone: cm.phone, fax: cm.fax, email: cm.email }, opts);
                } else setValue(path as "careType" | "serviceCodeId" | "funderId", v as never, opts);
              },
            }
          : undefined
      }
    />
  );
}

/** The service: care type, code, funder and agency (fixed once sent), and the dates. */
export function ServiceFields({ after, ...parts }: Parts & { after?: React.ReactNode }) {
  const { p, register, err } = parts;
  const fixed = p.update?.fixed;
  return (
    <fieldset className="grid gap-4 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Service</legend>
      {fixed ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm sm:col-span-2" data-testid="update-fixed">
          {FIXED.map(([term, key]) => (
            <Fragment key={key}>
              <dt className="text-slate-700">{term}</dt>
              <dd className="font-medium">{fixed[key]}</dd>
            </Fragment>
          ))}
          <dd className="col-span-2 text-xs text-slate-700">
            ACCloud keeps these for a sent referral; to change them, cancel it and approve a new one.
          </dd>
        </dl>
      ) : (
        <>
          <div>
            <span className={label} id="care-type-label">
              Care type
            </span>
            <div
              role="radiogroup"
              aria-labelledby="care-type-label"
              aria-describedby={p.draft?.sources.careType ? "careType-source" : undefined}
              className="mt-1 flex gap-4 text-sm"
            >
              {(["nursing", "psw"] as const).map((v) => (
                <label key={v} className="flex items-center gap-1.5">
                  <input type="radio" value={v} {...register("careType")} /> {v === "nursing" ? "Nursing" : "PSW"}
                </label>
              ))}
            </div>
            <div id="careType-source">{note(parts, "careType", "care_type")}</div>
            <FieldError id="careType" message={err("careType")} />
          </div>
          {(
            [
              ["serviceCodeId", "Service code", p.serviceCodes, "service_code_id"],
              ["funderId", "Funder (single funder, 100%)", p.funders, "funder_id"],
            ] as const
          ).map(([id, text, options, choices]) => (
            <SelectField key={id} {...bind(parts, id)} label={text} options={options} note={note(parts, id, choices)} />
          ))}
          <div>
            <SelectField {...bind(parts, "supplyPersonaId")} label="Agency (supplier)" options={p.suppliers} />
            {!p.agency.inTrustedNetwork ? (
              <p className={errorText}>{p.agency.name} is not in CSI&apos;s trusted network in ACCloud.</p>
            ) : null}
          </div>
        </>
      )}
      <TextField {...bind(parts, "startDate")} type="date" label="Start date" note={note(parts, "startDate")} />
      <TextField
        {...bind(parts, "endDate")}
        type="date"
        label="End date"
        hint={`The referral is sent as midnight ${p.clientTimezone}.`}
        note={note(parts, "endDate")}
      />
      {after}
    </fieldset>
  );
}

/** The case manager: drafted as a whole (the client's own, else the agency's usual one), so one source for the four parts. */
export function CaseManagerFields(parts: Parts) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Case manager</legend>
      <div className="sm:col-span-2">
        <TextField
          {...bind(parts, "caseManager.name")}
          label="Name"
          note={note(parts, "caseManager.name", "case_manager")}
        />
      </div>
      {CONTACT.map(([id, text, type]) => (
        <TextField key={id} {...bind(parts, id)} label={text} type={type} />
      ))}
    </fieldset>
  );
}
