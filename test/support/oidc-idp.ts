/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, run as its own
 * process by the single sign-on tests: discovery, authorization code with PKCE, its own login
 * and consent pages, ID tokens signed with its keys. Configured from the environment:
 *   IDP_PORT, IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_REDIRECT_URI,
 *   IDP_ACCOUNTS_FILE: a JSON file {"<sub>": { email, email_verified, name, roles: [...] }, ...},
 *   read at every sign-in (a test changes an account's e-mail between two).
 * Prints "IDP <issuer>" once it listens. Any login name and password signs in as that account.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.IDP_PORT ?? 0);
const accounts = () =>
  JSON.parse(readFileSync(process.env.IDP_ACCOUNTS_FILE!, "utf8")) as Record<string, Record<string, unknown>>;

const server = http.createServer();
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
const address = server.address();
const issuer = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.IDP_CLIENT_ID!,
      client_secret: process.env.IDP_CLIENT_SECRET!,
      redirect_uris: [process.env.IDP_REDIRECT_URI!],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  async findAccount(_ctx, sub) {
    if (!accounts()[sub]) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...accounts()[sub] }) };
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "roles", "groups"] },
  // The claims in the ID token itself (Auth.js reads the profile from it).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  cookies: { keys: ["csi-test-idp-cookie-key"] },
  features: { devInteractions: { enabled: true } },
});
provider.on("server_error", (_ctx, err: Error) => console.error(`idp error: ${err.message}`));
server.on("request", provider.callback());
console.log(`IDP ${issuer}`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
