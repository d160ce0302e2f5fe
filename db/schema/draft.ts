/**
 * What reviewers chose, one row per approved referral request: the history the draft learns its
 * suggestions from (lib/draft/history/). Written with every approval revision that is approved
 * (an approval, a retry's correction, an update), so it always holds the choice ACCloud was sent
 * last; the form's values it is keyed by are the approved submission's, as written.
 */
import { index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { approvalRevisions } from "./push";
import { referralRequests } from "./referrals";

export type ChosenCaseManager = { name: string; phone?: string; fax?: string; email?: string };

export const approvalChoices = pgTable(
  "approval_choices",
  {
    referralRequestId: uuid("referral_request_id")
      .primaryKey()
      .references(() => referralRequests.id),
    approvalRevisionId: uuid("approval_revision_id")
      .notNull()
      .references(() => approvalRevisions.id),
    approvedAt: tstz("approved_at").notNull(),
    agencyOrgId: text("agency_org_id").notNull(),
    /** the agency's client id: with the agency, the client (the client's own case manager) */
    clientExternalId: integer("client_external_id").notNull(),
    /** the form's "Primary insurance name", as written (matched fuzzily when read) */
    insurerName: text("insurer_name"),
    /** the form's "Service Requested", as written */
    serviceRequested: text("service_requested"),
    careType: text("care_type").$type<"nursing" | "psw">().notNull(),
    serviceCodeId: integer("service_code_id").notNull(),
    funderId: integer("funder_id").notNull(),
    /** trimmed, empty parts left out, so equal case managers are equal jsonb */
    caseManager: jsonb("case_manager").$type<ChosenCaseManager>().notNull(),
  },
  (t) => [
    index("approval_choices_insurer").on(t.insurerName, t.approvedAt),
    index("approval_choices_service").on(t.serviceRequested, t.approvedAt),
    index("approval_choices_agency").on(t.agencyOrgId, t.approvedAt),
    index("approval_choices_client").on(t.agencyOrgId, t.clientExternalId, t.approvedAt),
  ],
);
export type ApprovalChoice = typeof approvalChoices.$inferSelect;
