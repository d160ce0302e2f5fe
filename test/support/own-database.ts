/**
 * A test file with a database of its own (on the project's server, migrated), for tests whose
 * subject is what the whole database holds: the draft's history counts every approval, so the
 * approvals other files make at the same time would change its numbers. Call it first in the
 * file: DATABASE_URL points at the new database until the file's last test is done. With a
 * sandbox for ACCloud's reference data and a reviewer, as the approval needs them.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { runMigrations } from "../../db/migrate";
import { systemActor, type Actor } from "../../lib/access/actors";
import { refreshReferenceData } from "../../lib/accloud/reference-data";
import { createUser } from "../../lib/auth/users";
import { closeDb, getDb } from "../../lib/db";
import { resetEnvCache } from "../../lib/env";
import { stopSenderBosses } from "../../lib/jobs/queue";
import { createTestDatabase, dropTestDatabase } from "./database";
import { startTestSandbox, type TestSandbox } from "./sandbox";

export type OwnDatabase = { url: string; sbx: TestSandbox; reviewer: Actor };

export function ownDatabaseForFile(prefix: string): OwnDatabase {
  const env = {} as OwnDatabase;
  const adminUrl = process.env.DATABASE_URL!;
  const database = `${prefix}_${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    const { url } = await createTestDatabase(adminUrl, database);
    await runMigrations(url);
    process.env.DATABASE_URL = url;
    process.env.JOB_QUEUE_SCHEMA = `pgboss_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
    resetEnvCache();
    env.url = url;
    env.sbx = await startTestSandbox();
    await refreshReferenceData({ db: getDb(), client: env.sbx.client });
    const email = `reviewer-${randomUUID().slice(0, 8)}@test.local`;
    const { id } = await createUser(getDb(), {
      email,
      name: "Riley Reviewer",
      role: "reviewer",
      actor: systemActor("test"),
    });
    env.reviewer = { type: "user", id, email, name: "Riley Reviewer", role: "reviewer", sessionId: "" };
  }, 120_000);
  afterAll(async () => {
    await env.sbx?.close();
    await stopSenderBosses();
    await closeDb();
    process.env.DATABASE_URL = adminUrl;
    resetEnvCache();
    await dropTestDatabase(adminUrl, database);
  }, 60_000);
  return env;
}
