"use client";

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

type Path = "careType" | "serviceCodeId" | "funderId" | "startDate" | "endDate" | "caseManager.name";

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
  return (
    <fieldset className="grid gap-4 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Service</legend>
      {p.update ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm sm:col-span-2" data-testid="update-fixed">
          <dt className="text-slate-700">Care type</dt>
          <dd className="font-medium">{p.update.fixed.careType}</dd>
          <dt className="text-slate-700">Service code</dt>
          <dd className="font-medium">{p.update.fixed.serviceCode}</dd>
          <dt className="text-slate-700">Funder</dt>
          <dd className="font-medium">{p.update.fixed.funder}</dd>
          <dt className="text-slate-700">Agency</dt>
          <dd className="font-medium">{p.update.fixed.agency}</dd>
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
          <SelectField
            id="serviceCodeId"
            label="Service code"
            options={p.serviceCodes}
            register={register}
            message={err("serviceCodeId")}
            note={note(parts, "serviceCodeId", "service_code_id")}
          />
          <SelectField
            id="funderId"
            label="Funder (single funder, 100%)"
            options={p.funders}
            register={register}
            message={err("funderId")}
            note={note(parts, "funderId", "funder_id")}
          />
          <div>
            <SelectField
              id="supplyPersonaId"
              label="Agency (supplier)"
              options={p.suppliers}
              register={register}
              message={err("supplyPersonaId")}
            />
            {!p.agency.inTrustedNetwork ? (
              <p className={errorText}>{p.agency.name} is not in CSI&apos;s trusted network in ACCloud.</p>
            ) : null}
          </div>
        </>
      )}
      <TextField
        id="startDate"
        type="date"
        label="Start date"
        register={register}
        message={err("startDate")}
        note={note(parts, "startDate")}
      />
      <TextField
        id="endDate"
        type="date"
        label="End date"
        register={register}
        message={err("endDate")}
        hint={`The referral is sent as midnight ${p.clientTimezone}.`}
        note={note(parts, "endDate")}
      />
      {after}
    </fieldset>
  );
}

/** The case manager: drafted as a whole (the client's own, else the agency's usual one), so one source for the four parts. */
export function CaseManagerFields(parts: Parts) {
  const { register, err } = parts;
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-base font-semibold">Case manager</legend>
      <div className="sm:col-span-2">
        <TextField
          id="caseManager.name"
          label="Name"
          register={register}
          message={err("caseManager.name")}
          note={note(parts, "caseManager.name", "case_manager")}
        />
      </div>
      <TextField
        id="caseManager.phone"
        label="Phone"
        type="tel"
        register={register}
        message={err("caseManager.phone")}
      />
      <TextField id="caseManager.fax" label="Fax" type="tel" register={register} message={err("caseManager.fax")} />
      <TextField
        id="caseManager.email"
        label="E-mail"
        type="email"
        register={register}
        message={err("caseManager.email")}
      />
    </fieldset>
  );
}
