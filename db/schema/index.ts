/**
 * The app's tables, one file per domain; each file imports only the files below it in this list,
 * so there is no import cycle. drizzle-kit reads this index (drizzle.config.ts).
 */
export * from "./users";
export * from "./intake";
export * from "./referrals";
export * from "./audit";
export * from "./accloud";
export * from "./push";
export * from "./supervisors";
export * from "./notifications";
export * from "./dashboard";
export * from "./documents";
export * from "./duplicates";
export * from "./draft";
