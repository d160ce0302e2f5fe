/** Column types every table file uses. */
import { customType, timestamp } from "drizzle-orm/pg-core";

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
/** timestamptz read as a Date (which keeps milliseconds: PostgreSQL's microseconds are dropped). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
