/** Shared class lists: one look for buttons and inputs, with contrast checked (WCAG AA). */
const base =
  "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60";
export const btnPrimary = `${base} bg-blue-800 text-white hover:bg-blue-900`;
export const btnSecondary = `${base} border border-slate-400 bg-white text-slate-900 hover:bg-slate-100`;
export const btnDanger = `${base} bg-red-700 text-white hover:bg-red-800`;
export const btnSmall =
  "inline-flex items-center justify-center rounded-md border border-slate-400 bg-white px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-60";
export const input =
  "block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-600";
export const label = "block text-sm font-medium text-slate-800";
export const card = "rounded-lg border border-slate-200 bg-white shadow-sm";
export const errorText = "mt-1 text-sm text-red-800";
