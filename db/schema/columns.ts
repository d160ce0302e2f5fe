/** Column types every table file uses. */
import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
/** timestamptz read as a Date (which keeps milliseconds: PostgreSQL's microseconds are dropped). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A row's id: a random uuid. */
export const idColumn = () => uuid("id").primaryKey().defaultRandom();
/** When the row was made. */
export const createdAtColumn = () => tstz("created_at").notNull().defaultNow();
