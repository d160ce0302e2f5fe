/** ACCloud's reference data (groups, funders, service codes, trusted-network suppliers) and the queries listing it. */
import { z } from "zod";
import { id, int, nullableString, ZPageAQuery, ZPageBQuery } from "./schemas-common";

const ZBranchRef = z.looseObject({ id: int, name: nullableString });

export const ZGroup = z.looseObject({
  id: int,
  name: z.string(),
  description: nullableString,
  is_disabled: z.boolean().nullish(),
  branch: ZBranchRef.nullish(),
});
export type TGroup = z.infer<typeof ZGroup>;

export const ZFunder = z.looseObject({
  id: int,
  external_id: nullableString,
  name: z.string(),
  code: nullableString,
  type: nullableString,
  status: nullableString,
  organization: nullableString,
  organization_code: nullableString,
  branch: ZBranchRef.nullish(),
});
export type TFunder = z.infer<typeof ZFunder>;

export const ZServiceCode = z.looseObject({ id: int, name: z.string(), branch: ZBranchRef.nullish() });
export type TServiceCode = z.infer<typeof ZServiceCode>;

export const ZSupplier = z.looseObject({ id: z.uuid(), name: z.string() });
export type TSupplier = z.infer<typeof ZSupplier>;

export const ZGroupsQuery = ZPageAQuery.extend({ branch_id: id.optional() });
export const ZFundersQuery = ZPageAQuery.extend({
  branch_id: id.optional(),
  search: z.string().min(1).optional(),
  funder_name: z.string().min(1).optional(),
  funder_code: z.string().min(1).optional(),
});
export const ZServiceCodesQuery = ZPageAQuery.extend({ branch_id: id.optional() });
export const ZTrustedNetworkQuery = ZPageBQuery.extend({
  name: z.string().min(1).optional(),
  supply_persona_id: z.array(z.uuid()).optional(),
  sort_order: z.enum(["asc", "desc"]).optional(),
});
export type TGroupsQuery = z.input<typeof ZGroupsQuery>;
export type TFundersQuery = z.input<typeof ZFundersQuery>;
export type TServiceCodesQuery = z.input<typeof ZServiceCodesQuery>;
export type TTrustedNetworkQuery = z.input<typeof ZTrustedNetworkQuery>;
