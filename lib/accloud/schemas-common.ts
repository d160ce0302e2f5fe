/**
 * The parts every ACCloud schema shares (reference/accloud-contract.md): the vocabulary lists the
 * contract enumerates, the primitive field types, the two pagination styles and the error bodies.
 * The endpoint shapes are in the schemas-*.ts files beside it; lib/accloud/schemas.ts gathers them.
 */
import { z } from "zod";

export const CANCEL_REASON_CODES = [
  "datetime_change",
  "client_request",
  "client_hospitalization",
  "client_passed_away",
  "client_refused_service",
  "processing_error",
  "other",
] as const;

export const FUNDING_METHODOLOGIES = [
  "cluster_billing",
  "cob",
  "co_contribution",
  "co-pay",
  "ltci",
  "medicaid",
  "payor_invoicing",
  "single_funder",
  "single_payor",
  "split_funders",
  "split_percentage",
] as const;

export const LANGUAGE_CODES = [
  "sq",
  "ar",
  "hy",
  "ast",
  "bn",
  "my",
  "yue",
  "zh",
  "hr",
  "cs",
  "fa_AF",
  "nl",
  "en",
  "fo",
  "fr",
  "de",
  "el",
  "he",
  "hi",
  "hu",
  "it",
  "ja",
  "rw",
  "ko",
  "mdr",
  "ne",
  "ps",
  "fa",
  "pl",
  "pt",
  "pa",
  "ro",
  "ru",
  "sr",
  "sk",
  "so",
  "es",
  "sw",
  "tl",
  "ta",
  "ti",
  "uk",
  "ur",
  "vi",
  "other",
] as const;

export const AUTHORIZATION_METHODOLOGIES = ["payor", "payor_bill_code", "payor_service", "service"] as const;

/** 50 MB, read as decimal megabytes: the stricter reading of contract §12.2. */
export const ATTACHMENT_MAX_BYTES = 50_000_000;

// ---------------------------------------------------------------- field types

export const int = z.number().int();
export const id = int.positive();
export const isoDate = z.iso.date();
export const isoDateTimeWithOffset = z.iso.datetime({ offset: true });
export const nullableString = z.string().nullish();
export const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

// ---------------------------------------------------------------- pagination

/** Style A (ext v2): page/count → {count, page, total_pages, items}. The authorizations list only promises items. */
export const pageA = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    count: int.nonnegative().optional(),
    page: int.positive().optional(),
    total_pages: int.nonnegative().optional(),
    items: z.array(item),
  });

/** Style B (alayamarket): page/items_per_page → {page, items_per_page, total_items, total_pages, items}. */
export const pageB = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    page: int.positive(),
    items_per_page: int.positive(),
    total_items: int.nonnegative(),
    total_pages: int.nonnegative(),
    items: z.array(item),
  });

export type PageA<T> = { count?: number; page?: number; total_pages?: number; items: T[] };
export type PageB<T> = { page: number; items_per_page: number; total_items: number; total_pages: number; items: T[] };

export const ZPageAQuery = z.strictObject({ page: id.optional(), count: id.max(1000).optional() });
export const ZPageBQuery = z.strictObject({ page: id.optional(), items_per_page: id.max(1000).optional() });

// ---------------------------------------------------------------- error bodies

/** Every documented error shape (§1.2): {code,message}, problem+json, gateway {message,description}. */
export const ZErrorBody = z.looseObject({
  code: z.union([z.string(), z.number()]).optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
  description: z.string().optional(),
  title: z.string().optional(),
});
