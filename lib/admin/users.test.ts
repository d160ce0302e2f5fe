import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { upsertSsoUser } from "../auth/oidc";
import { closeDb, getDb } from "../db";
import { makeUser } from "../../test/support/referrals";
import { listUsers, setUserRole } from "./users";

const db = () => getDb();
afterAll(async () => {
  await closeDb();
});

describe("users with two roles (single sign-on's role map)", () => {
  it("are listed with both, and one role chosen in /admin replaces both, audited", async () => {
    const admin = await makeUser("admin");
    const tag = randomUUID().slice(0, 8);
    const sso = await upsertSsoUser(db(), {
      issuer: "https://sso.test.example",
      subject: `two-${tag}`,
      email: `two-${tag}@test.example`,
      name: "Two",
      roles: ["reviewer", "admin"],
    });
    if (!sso.ok) throw new Error(sso.code);
    const listed = (await listUsers(db(), admin)).find((u) => u.id === sso.user.id);
    expect(listed).toMatchObject({ role: "admin", roles: ["admin", "reviewer"] });

    expect(await setUserRole(db(), admin, { userId: sso.user.id, role: "reviewer" })).toMatchObject({
      status: "success",
    });
    expect((await listUsers(db(), admin)).find((u) => u.id === sso.user.id)).toMatchObject({
      role: "reviewer",
      roles: ["reviewer"],
    });
    const audit = await db().execute<{ details: unknown }>(
      sql`select details from audit_events where action = 'user.role_changed' and entity_id = ${sso.user.id}`,
    );
    expect(audit.rows).toEqual([{ details: { from: "admin+reviewer", to: "reviewer" } }]);
    // The same one role again: nothing to change.
    expect(await setUserRole(db(), admin, { userId: sso.user.id, role: "reviewer" })).toEqual({
      status: "success",
      message: "No change.",
    });
  });
});
