"use client";

import type { FieldPath, UseFormRegister } from "react-hook-form";
import type { TApprovalInput } from "@/lib/approval/schema";
import { Select } from "@/components/ui/form-field";
import { errorText, input, label } from "@/components/ui/styles";

/** The approval editor's labelled inputs, each with its error line (aria-describedby). */
export type Option = { id: number | string; name: string };
export type Reg = UseFormRegister<TApprovalInput>;

/** Reads a nested error message by dotted path. */
export function errorAt(errors: unknown, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  const m = node && typeof node === "object" ? (node as { message?: unknown }).message : undefined;
  return typeof m === "string" ? m : undefined;
}

export const num = (v: unknown): number | undefined => {
  if (v === "" || v === null || v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

export function FieldError({ id, message }: { id: string; message?: string }) {
  return (
    <p id={`${id}-error`} className={errorText} aria-live="polite">
      {message ?? ""}
    </p>
  );
}

/** A labelled control of the editor with its hint and its live error line (always present, so a new error is announced). */
function EditorField({
  id,
  label: text,
  labelClassName = label,
  hint,
  note,
  message,
  children,
}: {
  id: string;
  label: React.ReactNode;
  labelClassName?: string;
  hint?: string;
  /** where the value came from (the draft's source), read with the field */
  note?: React.ReactNode;
  message?: string;
  children: (aria: { id: string; "aria-invalid"?: true; "aria-describedby": string }) => React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className={labelClassName}>
        {text}
      </label>
      {children({
        id,
        "aria-invalid": message ? true : undefined,
        "aria-describedby": `${id}-error${hint ? ` ${id}-hint` : ""}${note ? ` ${id}-source` : ""}`,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">
          {hint}
        </p>
      ) : null}
      {note ? <div id={`${id}-source`}>{note}</div> : null}
      <FieldError id={id} message={message} />
    </div>
  );
}

export function TextField({
  id,
  label: text,
  register,
  message,
  type = "text",
  hint,
  note,
}: {
  id: string;
  label: string;
  register: Reg;
  message?: string;
  type?: string;
  hint?: string;
  note?: React.ReactNode;
}) {
  return (
    <EditorField id={id} label={text} hint={hint} note={note} message={message}>
      {(aria) => (
        <input type={type} className={`${input} mt-1`} {...aria} {...register(id as FieldPath<TApprovalInput>)} />
      )}
    </EditorField>
  );
}

export function NumberField({
  id,
  label: text,
  fullLabel,
  register,
  message,
  compact,
}: {
  id: string;
  label: string;
  fullLabel?: string;
  register: Reg;
  message?: string;
  compact?: boolean;
}) {
  return (
    <EditorField
      id={id}
      label={
        <>
          <span aria-hidden={fullLabel ? true : undefined}>{text}</span>
          {fullLabel ? <span className="sr-only">{fullLabel}</span> : null}
        </>
      }
      labelClassName={compact ? "block text-xs font-medium text-slate-800" : label}
      message={message}
    >
      {(aria) => (
        <input
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          className={`${input} mt-1 ${compact ? "px-2" : ""}`}
          {...aria}
          {...register(id as FieldPath<TApprovalInput>, { setValueAs: num })}
        />
      )}
    </EditorField>
  );
}

export function SelectField({
  id,
  label: text,
  options,
  register,
  message,
  note,
}: {
  id: string;
  label: string;
  options: Option[];
  register: Reg;
  message?: string;
  note?: React.ReactNode;
}) {
  return (
    <EditorField id={id} label={text} note={note} message={message}>
      {(aria) => (
        <Select
          className={`${input} mt-1`}
          {...aria}
          {...register(id as FieldPath<TApprovalInput>)}
          items={[["", "Choose…"], ...options.map((o) => [o.id, o.name] as const)]}
        />
      )}
    </EditorField>
  );
}
