/**
 * Single sign-on end to end: a real OpenID Connect provider (oidc-provider, its own process on
 * loopback) and the app's own Auth.js routes (app/api/auth/[...nextauth]), driven over their
 * HTTP interfaces as a browser would: CSRF token, sign-in POST, the provider's login and consent
 * pages, the callback with its code exchanged at the provider's token endpoint. Roles come from
 * exact OIDC_ROLE_MAP values only, the e-mail must be verified, and the account is the
 * provider's `sub`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { systemActor } from "../access/actors";
import { closeDb, getDb } from "../db";
import { resetEnvCache } from "../env";
import { createUser } from "./users";
import { decodeSessionId } from "./session-token";
import { resolveSession } from "./sessions";

// (NextRequest writes loopback addresses as "localhost": the app's origin is written so too)
const APP = "http://localhost:3999";
const tag = Date.now().toString(36);
const mail = (who: string) => `${who}-${tag}@csi.example`;
const dir = mkdtempSync(path.join(os.tmpdir(), "csi-idp-"));
const accountsFile = path.join(dir, "accounts.json");
let accounts: Record<string, Record<string, unknown>> = {};
const saveAccounts = () => writeFileSync(accountsFile, JSON.stringify(accounts));
let idp: ChildProcess | undefined;
let routes: { GET: (r: NextRequest) => Promise<Response>; POST: (r: NextRequest) => Promise<Response> };
const saved = { ...process.env };

class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

beforeAll(async () => {
  accounts = {
    [`alice-${tag}`]: {
      email: mail("alice"),
      email_verified: true,
      name: "Alice Reviewer",
      roles: ["staff", "csi-reviewers"],
    },
    [`mallory-${tag}`]: {
      email: mail("mallory"),
      email_verified: true,
      name: "Mallory",
      roles: ["evil-csi-reviewers", "csi-reviewers-old", "x-admin", "admin", "CSI-ADMINS"],
    },
    [`unverified-${tag}`]: {
      email: mail("unverified"),
      email_verified: false,
      name: "Unverified",
      roles: ["csi-admins"],
    },
    [`carol-${tag}`]: { email: mail("carol"), email_verified: true, name: "Carol", roles: ["csi-admins"] },
    [`impostor-${tag}`]: { email: mail("alice"), email_verified: true, name: "Not Alice", roles: ["csi-admins"] },
  };
  saveAccounts();
  idp = spawn(process.execPath, ["--import", "tsx", "test/support/oidc-idp.ts"], {
    env: {
      ...process.env,
      IDP_PORT: "0",
      IDP_CLIENT_ID: "csi-referral-review",
      IDP_CLIENT_SECRET: "csi-test-client-secret",
      IDP_REDIRECT_URI: `${APP}/api/auth/callback/csi-sso`,
      IDP_ACCOUNTS_FILE: accountsFile,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = "";
    idp!.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /IDP (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    idp!.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    idp!.once("exit", () => reject(new Error(`the identity provider exited: ${out}`)));
  });
  Object.assign(process.env, {
    APP_URL: APP,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: "csi-referral-review",
    OIDC_CLIENT_SECRET: "csi-test-client-secret",
    OIDC_ROLE_CLAIM: "roles",
    OIDC_ROLE_MAP: "csi-reviewers=reviewer,csi-supervisors=supervisor,csi-admins=admin",
  });
  resetEnvCache();
  routes = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as typeof routes;
}, 60_000);

afterAll(async () => {
  idp?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
  process.env = saved;
  resetEnvCache();
  await closeDb();
});

/** The browser's part: the app's sign-in, the provider's pages, back to the app's callback. */
async function signInAs(login: string): Promise<{ location: string; jar: Jar }> {
  const jar = new Jar();
  const csrf = await routes.GET(new NextRequest(`${APP}/api/auth/csrf`));
  jar.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const started = await routes.POST(
    new NextRequest(`${APP}/api/auth/signin/csi-sso`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/queue" }),
    }),
  );
  jar.take(started);
  let location = started.headers.get("location")!;
  expect(location).toMatch(new RegExp(`^${process.env.OIDC_ISSUER}/auth\\?`));
  const idpJar = new Jar();
  for (let hops = 0; !location.startsWith(APP); hops++) {
    if (hops > 12) throw new Error("the provider never sent the browser back");
    let res = await fetch(location, { redirect: "manual", headers: { cookie: idpJar.header() } });
    idpJar.take(res);
    if (res.status === 200) {
      // The provider's login or consent page: fill it in as a person would.
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
      const prompt = /name="prompt" value="(\w+)"/.exec(html)![1]!;
      const form: Record<string, string> = prompt === "login" ? { prompt, login, password: "any" } : { prompt };
      res = await fetch(new URL(action, location), {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: idpJar.header() },
        body: new URLSearchParams(form),
      });
      idpJar.take(res);
    }
    location = new URL(res.headers.get("location")!, location).toString();
  }
  const callback = await routes.GET(new NextRequest(location, { headers: { cookie: jar.header() } }));
  jar.take(callback);
  return { location: callback.headers.get("location") ?? "", jar };
}

async function sessionOf(jar: Jar) {
  const token = jar.get("authjs.session-token");
  const sid = token ? await decodeSessionId(token, "authjs.session-token") : null;
  return resolveSession(getDb(), sid, { touch: false });
}

const denied = (location: string) =>
  expect(new URL(location).pathname + new URL(location).search).toBe("/sign-in?error=AccessDenied");

describe("single sign-on through a real OpenID Connect provider", () => {
  it("signs a user in with the role an exact OIDC_ROLE_MAP value grants, linked to the provider's sub", async () => {
    const { location, jar } = await signInAs(`alice-${tag}`);
    expect(location).toBe(`${APP}/queue`);
    const session = await sessionOf(jar);
    expect(session).toMatchObject({ ok: true, actor: { email: mail("alice"), role: "reviewer" } });
    const [row] = await getDb()
      .select({ subject: users.oidcSubject, issuer: users.oidcIssuer })
      .from(users)
      .where(eq(users.email, mail("alice")));
    expect(row).toEqual({ subject: `alice-${tag}`, issuer: process.env.OIDC_ISSUER });
  });

  it("refuses roles by suffix, prefix, case or a role's own name, and an e-mail the provider has not verified", async () => {
    denied((await signInAs(`mallory-${tag}`)).location);
    denied((await signInAs(`unverified-${tag}`)).location);
    const found = await getDb().execute(
      sql`select email from users where email in (${mail("mallory")}, ${mail("unverified")})`,
    );
    expect(found.rows).toEqual([]);
  });

  it("keeps the account on the provider's sub: a changed e-mail is the same user, another sub with a taken e-mail is refused", async () => {
    const before = (
      await getDb()
        .select({ id: users.id })
        .from(users)
        .where(eq(users.oidcSubject, `alice-${tag}`))
    )[0]!;
    accounts[`alice-${tag}`]!.email = mail("alice.renamed");
    saveAccounts();
    const renamed = await signInAs(`alice-${tag}`);
    expect(renamed.location).toBe(`${APP}/queue`);
    expect(await sessionOf(renamed.jar)).toMatchObject({
      ok: true,
      actor: { id: before.id, email: mail("alice.renamed") },
    });
    // Someone else at the provider now holds alice's e-mail: they are not alice here.
    accounts[`impostor-${tag}`]!.email = mail("alice.renamed");
    saveAccounts();
    denied((await signInAs(`impostor-${tag}`)).location);
    expect(
      (
        await getDb()
          .select({ id: users.id })
          .from(users)
          .where(eq(users.oidcSubject, `impostor-${tag}`))
      ).length,
    ).toBe(0);
  });

  it("links an account an administrator made ahead (same e-mail, no sub yet) at its first sign-on", async () => {
    const made = await createUser(getDb(), {
      email: mail("carol"),
      name: "Carol",
      role: "reviewer",
      password: "carol-password-1",
      actor: systemActor("test"),
    });
    const { location, jar } = await signInAs(`carol-${tag}`);
    expect(location).toBe(`${APP}/queue`);
    expect(await sessionOf(jar)).toMatchObject({ ok: true, actor: { id: made.id, role: "admin" } });
    const audit = await getDb().execute(sql`select action from audit_events where entity_id = ${made.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual([
      "user.created",
      "user.sso_linked",
      "user.role_changed",
      "auth.signed_in",
    ]);
    await getDb()
      .update(users)
      .set({ disabledAt: new Date() })
      .where(and(eq(users.id, made.id)));
    denied((await signInAs(`carol-${tag}`)).location);
  });
});
