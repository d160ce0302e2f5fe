/**
 * Administrators from the command line (the first one cannot be made in the app: no one can sign in yet).
 *   npm run admin -- create --email E [--name NAME] [--json]
 * The password is generated, printed once and stored only as an argon2id hash; the new
 * administrator can then add users in the app (/admin). With --json, stdout carries exactly
 * { "id", "email", "password" } and everything else goes to stderr.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createUser, findUserByEmail } from "../lib/auth/users";
import { cliActor, runWithRuntime, say } from "./cli";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: "string" }, name: { type: "string" }, json: { type: "boolean", default: false } },
});

function usage(message?: string): never {
  if (message) say(`error: ${message}`);
  say("usage: npm run admin -- create --email E [--name NAME] [--json]");
  process.exit(2);
}

if (positionals[0] !== "create") usage();
const email = z.email().max(320).safeParse(values.email?.trim().toLowerCase());
if (!email.success) usage("--email: a valid e-mail address is required");

await runWithRuntime(async (db) => {
  if (await findUserByEmail(db, email.data)) throw new Error(`a user with the e-mail ${email.data} already exists`);
  // 24 random bytes: 32 characters, typed once and then changed or kept in a password manager.
  const password = randomBytes(24).toString("base64url");
  const user = await createUser(db, {
    email: email.data,
    name: values.name?.trim() || email.data,
    role: "admin",
    password,
    actor: cliActor(),
  });
  if (values.json) console.log(JSON.stringify({ id: user.id, email: email.data, password }));
  else {
    say(`Created administrator ${email.data} (${user.id})`);
    say(`  password: ${password}`);
    say("The password is shown only now.");
  }
});
