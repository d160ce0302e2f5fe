/** "Not a duplicate" on a referral's page: the referral and the other request of the pair. */
import { z } from "zod";

export const ZNotDuplicateInput = z.object({
  referralId: z.guid("Unknown referral request"),
  otherId: z.guid("Unknown referral request"),
});
export type TNotDuplicateInput = z.infer<typeof ZNotDuplicateInput>;
