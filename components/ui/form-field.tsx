import type { ComponentProps, ReactNode } from "react";
import { btnPrimary, errorText, input, label as labelClass } from "@/components/ui/styles";

/** What a field's control takes so that its label, error and hint are tied to it. */
export type FieldControlProps = { id: string; className: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * A labelled control with its error line, or its hint while there is no error. The control is
 * rendered by `children` with the id, class and aria attributes that connect it (the error is
 * `${id}-error`, the hint `${id}-hint`).
 */
export function FormField({
  id,
  label,
  error,
  hint,
  className,
  controlClassName = `${input} mt-1`,
  children,
}: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
  /** the control's look (the form inputs' by default) */
  controlClassName?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children({
        id,
        className: controlClassName,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
      })}
      {error ? (
        <p id={`${id}-error`} className={errorText}>
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type OptionItems = ReadonlyArray<readonly [value: string | number, label: ReactNode]>;

/** `<option>`s from [value, label] pairs. */
export function Options({ items }: { items: OptionItems }) {
  return items.map(([value, text]) => (
    <option key={value} value={value}>
      {text}
    </option>
  ));
}

/**
 * A `<select>` of [value, label] pairs (a FormField's control, or an editor field's). `placeholder`
 * is a first option that cannot be chosen again, for a choice that has no default.
 */
export function Select({
  items,
  placeholder,
  ...props
}: ComponentProps<"select"> & { items: OptionItems; placeholder?: string }) {
  return (
    <select {...props}>
      {placeholder === undefined ? null : (
        <option value="" disabled>
          {placeholder}
        </option>
      )}
      <Options items={items} />
    </select>
  );
}

/** What an action answered, said politely to screen readers: green when it worked, red when not. */
export function ResultMessage({
  message,
  className = "",
}: {
  message: { ok: boolean; text: string } | null;
  className?: string;
}) {
  return (
    <p aria-live="polite" className={`text-sm ${className} ${message?.ok ? "text-green-800" : "text-red-800"}`}>
      {message?.text}
    </p>
  );
}

/** A form's submit button: disabled while the form's action runs, saying `busy` then. */
export function SubmitButton({
  pending,
  busy,
  className = btnPrimary,
  children,
}: {
  pending: boolean;
  busy: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className={className} disabled={pending}>
      {pending ? busy : children}
    </button>
  );
}
