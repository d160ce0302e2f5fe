/**
 * Manage the API clients allowed to call the webhook.
 *   npm run api-client -- create --name "AlayaConnector UAT" [--signed] [--json]
 *   npm run api-client -- list [--json]
 *   npm run api-client -- rotate --id ID [--signing] [--overlap-minutes 1440] [--json]
 *   npm run api-client -- revoke --id ID
 * `rotate --signing` rotates the Standard Webhooks signing secret instead of the secret.
 * The admin page (/admin, "API clients") calls the same functions of lib/intake/api-clients.ts.
 * Secrets are printed once and never stored in clear. With --json, stdout carries exactly one
 * JSON value and everything else goes to stderr.
 */
import { parseArgs } from "node:util";
import {
  createApiClient,
  listApiClients,
  revokeApiClient,
  rotateApiClientSecret,
  rotateApiClientSigningSecret,
} from "../lib/intake/api-clients";
import { cliActor, runWithRuntime, say } from "./cli";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    id: { type: "string" },
    signed: { type: "boolean", default: false },
    signing: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    "overlap-minutes": { type: "string" },
  },
});
const command = positionals[0];
const actor = cliActor();

function usage(): never {
  say(
    "usage: npm run api-client -- create --name NAME [--signed] [--json] | list [--json] | rotate --id ID [--signing] [--overlap-minutes N] [--json] | revoke --id ID",
  );
  process.exit(2);
}

if (!command || !["create", "list", "rotate", "revoke"].includes(command)) usage();
await runWithRuntime(async (db) => {
  if (command === "create") {
    if (!values.name?.trim()) usage();
    const c = await createApiClient(db, { name: values.name, withSigningSecret: values.signed, actor });
    if (values.json) {
      console.log(
        JSON.stringify({
          id: c.id,
          key: c.key,
          secret: c.secret,
          ...(c.signingSecret ? { signing_secret: c.signingSecret } : {}),
        }),
      );
    } else {
      say(`Created API client "${c.name}" (${c.id})`);
      say(`  key:    ${c.key}`);
      say(`  secret: ${c.secret}`);
      if (c.signingSecret) say(`  signing secret (Standard Webhooks): ${c.signingSecret}`);
      say("The secret is shown only now; store it in AlayaConnector's configuration.");
    }
  } else if (command === "list") {
    const rows = await listApiClients(db);
    if (values.json) console.log(JSON.stringify(rows));
    else
      for (const r of rows)
        say(
          `${r.id}  ${r.key}  ${r.revokedAt ? "revoked" : r.rotating ? "rotating" : "active"}  ${r.signed ? "signed" : "unsigned"}  ${r.name}`,
        );
  } else if (command === "rotate") {
    if (!values.id) usage();
    const overlap = values["overlap-minutes"] ? Number(values["overlap-minutes"]) : undefined;
    if (values.signing) {
      const c = await rotateApiClientSigningSecret(db, { id: values.id, overlapMinutes: overlap, actor });
      if (values.json) console.log(JSON.stringify({ id: c.id, key: c.key, signing_secret: c.signingSecret }));
      else
        say(
          `New signing secret for ${c.key}: ${c.signingSecret}\nDeliveries signed with the previous one are accepted for ${overlap ?? 1440} minutes.`,
        );
    } else {
      const c = await rotateApiClientSecret(db, { id: values.id, overlapMinutes: overlap, actor });
      if (values.json) console.log(JSON.stringify({ id: c.id, key: c.key, secret: c.secret }));
      else say(`New secret for ${c.key}: ${c.secret}\nThe previous secret stays valid for ${overlap ?? 1440} minutes.`);
    }
  } else if (command === "revoke") {
    if (!values.id) usage();
    await revokeApiClient(db, { id: values.id, actor });
    say(`Revoked ${values.id}`);
  }
});
