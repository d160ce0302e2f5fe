import { eq } from "drizzle-orm";
import { users, type User } from "../../db/schema";
import { recordUserAudit } from "./user-audit";
import { type AnyActor as Actor } from "../access/actors";
import type { Db } from "../db";
import { hashPassword } from "./passwords";

export type Role = User["role"];

export async function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; password?: string; actor: Actor },
): Promise<{ id: string }> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ email, name: input.name, role: input.role, passwordHash })
      .returning({ id: users.id });
    if (!row) throw new Error("insert returned nothing");
    await recordUserAudit(tx, input.actor, "user.created", row.id, { email, role: input.role });
    return row;
  });
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}
