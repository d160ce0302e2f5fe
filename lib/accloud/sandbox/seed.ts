/**
 * Reference data the sandbox starts with. The first ids are the UAT ones from the CSI docs
 * (HQ branch 1000, agency branch 1050, group 1008 "CSI", funder 9, service code 48,
 * supplier 91c79089… "Gem City Home Care"); the other agencies are the ones the demo data uses.
 */
export const HQ_BRANCH_ID = 1000;
export const CSI_GROUP_ID = 1008;
export const GEM_CITY_SUPPLIER_ID = "91c79089-a3ca-4cca-acf4-52fc1f1302c6";
export const MIAMI_VALLEY_SUPPLIER_ID = "3f6b2a10-7c1e-4d2b-9a55-2b1f0c9e4a11";
export const BLUEGRASS_SUPPLIER_ID = "c2d9e8f7-5b4a-4c3d-8e2f-1a0b9c8d7e62";

export const SEED_BRANCHES = [
  { id: 1000, name: "CSI HQ", timezone: "America/Chicago" },
  { id: 1050, name: "Gem City Home Care", timezone: "America/New_York" },
  { id: 1051, name: "Miami Valley Nursing", timezone: "America/New_York" },
  { id: 1052, name: "Bluegrass Home Health", timezone: "America/New_York" },
];

export const SEED_GROUPS = [
  { id: 1008, name: "CSI", description: "CSI HQ coordinators", is_disabled: false, branch_id: 1000 },
  { id: 1009, name: "INTAKE", description: "Intake", is_disabled: false, branch_id: 1000 },
  { id: 1010, name: "Gem City Home Care", description: "Agency clients", is_disabled: false, branch_id: 1050 },
  { id: 1011, name: "Miami Valley Nursing", description: "Agency clients", is_disabled: false, branch_id: 1051 },
  { id: 1012, name: "Bluegrass Home Health", description: "Agency clients", is_disabled: false, branch_id: 1052 },
  { id: 1013, name: "Legacy", description: "No longer used", is_disabled: true, branch_id: 1000 },
];

export const SEED_FUNDERS = [
  {
    id: 9,
    external_id: "CSI-OPTIONCARE",
    name: "OptionCare CSI",
    code: "CSI",
    type: "funder_individual",
    status: "enabled",
    branch_id: 1000,
  },
  {
    id: 10,
    external_id: "MEDICARE-A",
    name: "Medicare Part A",
    code: "MCA",
    type: "electronic_billing",
    status: "enabled",
    branch_id: 1000,
  },
  {
    id: 11,
    external_id: "OH-MEDICAID",
    name: "Ohio Medicaid",
    code: "OHMCD",
    type: "electronic_billing",
    status: "enabled",
    branch_id: 1000,
  },
  {
    id: 12,
    external_id: "KY-MEDICAID",
    name: "Kentucky Medicaid",
    code: "KYMCD",
    type: "electronic_billing",
    status: "enabled",
    branch_id: 1000,
  },
  {
    id: 13,
    external_id: null,
    name: "Legacy Commercial Payor",
    code: "LEG",
    type: "funder_batched",
    status: "disabled",
    branch_id: 1000,
  },
];

export const SEED_SERVICE_CODES = [
  { id: 48, name: "Skilled Nursing", branch_id: 1000 },
  { id: 49, name: "Infusion Nursing", branch_id: 1000 },
  { id: 50, name: "PT", branch_id: 1000 },
  { id: 51, name: "OT", branch_id: 1000 },
  { id: 52, name: "Home Health Aide", branch_id: 1000 },
];

export const SEED_SUPPLIERS = [
  { id: GEM_CITY_SUPPLIER_ID, name: "Gem City Home Care", branch_id: 1050 },
  { id: MIAMI_VALLEY_SUPPLIER_ID, name: "Miami Valley Nursing", branch_id: 1051 },
  { id: BLUEGRASS_SUPPLIER_ID, name: "Bluegrass Home Health", branch_id: 1052 },
];

/** First ids handed out; the families are far apart so an id of one kind never resolves as another. */
export const ID_STARTS = { clients: 1060, services: 21001, authorizations: 80001, attachments: 1 };
