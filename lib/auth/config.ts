/**
 * Auth.js configuration: e-mail + password (local users, argon2id, lockout) and, when
 * OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET are set, CSI's single sign-on.
 * The JWT cookie holds only a server-side session id (see sessions.ts).
 */
import type { NextAuthConfig } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "../db";
import { getEnv } from "../env";
import { errorBrief } from "../errors";
import { logger } from "../log";
import { CLIENT_IP_HEADER } from "../runtime/client-ip";
import { ZSignIn } from "../validations/auth";
import { verifyCredentials } from "./credentials";
import { emailVerified, parseRoleMap, rolesFromClaims, ssoSignInRefusal, upsertSsoUser, type RoleMap } from "./oidc";
import { ABSOLUTE_SESSION_HOURS, createSession, endSession } from "./sessions";

declare module "next-auth" {
  interface Session {
    sid?: string;
  }
}

export const SSO_PROVIDER_ID = "csi-sso";
const log = logger("auth");

/** The code reaches the sign-in form through the thrown error; it never names the account. */
export class SignInRefused extends CredentialsSignin {
  constructor(code: "invalid" | "disabled" | "rate_limited") {
    super();
    this.code = code;
  }
}

export const isSsoConfigured = () => {
  const env = getEnv();
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
};

/** What an SSO sign-in must carry: a subject, a verified e-mail, and at least one role from OIDC_ROLE_MAP (all of them are the user's). */
function ssoIdentity(profile: unknown, issuer: string, claim: string, map: RoleMap) {
  const claims = (profile ?? {}) as Record<string, unknown>;
  const roles = rolesFromClaims(claims, claim, map);
  const subject = typeof claims.sub === "string" && claims.sub ? claims.sub : null;
  const email = typeof claims.email === "string" && claims.email.includes("@") ? claims.email : null;
  if (!roles.length || !subject || !email || !emailVerified(claims)) return null;
  return {
    issuer: typeof claims.iss === "string" ? claims.iss : issuer,
    subject,
    email,
    name: typeof claims.name === "string" ? claims.name : "",
    roles,
  };
}

export function buildAuthConfig(): NextAuthConfig {
  const env = getEnv();
  const parsedMap = env.OIDC_ROLE_MAP ? parseRoleMap(env.OIDC_ROLE_MAP) : null;
  const roleMap: RoleMap = parsedMap?.ok ? parsedMap.map : new Map();
  // Auth.js builds OIDC callback URLs from AUTH_URL, else from the request, which behind the
  // launcher carries the bind address (0.0.0.0). APP_URL is the public address.
  if (env.APP_URL && !process.env.AUTH_URL) process.env.AUTH_URL = env.APP_URL;
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(input, request) {
        const parsed = ZSignIn.safeParse(input);
        if (!parsed.success) throw new SignInRefused("invalid");
        // Set by the launcher from the connection (lib/runtime/client-ip.ts), never the client's own header.
        const ip = request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
        const result = await verifyCredentials(getDb(), parsed.data.email, parsed.data.password, { ip });
        if (!result.ok) throw new SignInRefused(result.code);
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (isSsoConfigured()) {
    providers.push({
      id: SSO_PROVIDER_ID,
      name: "CSI single sign-on",
      type: "oidc",
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
      profile(p: Record<string, unknown>) {
        return {
          id: String(p.sub),
          email: typeof p.email === "string" ? p.email : null,
          name: typeof p.name === "string" ? p.name : null,
        };
      },
    });
  }

  return {
    trustHost: true,
    secret: env.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: ABSOLUTE_SESSION_HOURS * 3600 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        const identity = ssoIdentity(profile, env.OIDC_ISSUER ?? "", env.OIDC_ROLE_CLAIM, roleMap);
        if (!identity) {
          log.warn("single sign-on refused: no verified e-mail, no subject, or no role from OIDC_ROLE_MAP");
          return false;
        }
        const refusal = await ssoSignInRefusal(getDb(), identity);
        if (refusal) log.warn(`single sign-on refused: ${refusal}`);
        return !refusal;
      },
      async jwt({ token, user, account, profile, trigger }) {
        if (trigger !== "signIn" || !user || !account) return token;
        const db = getDb();
        if (account.provider === SSO_PROVIDER_ID) {
          const identity = ssoIdentity(profile, env.OIDC_ISSUER ?? "", env.OIDC_ROLE_CLAIM, roleMap);
          if (!identity) return null;
          const res = await upsertSsoUser(db, identity);
          if (!res.ok) {
            log.warn(`single sign-on refused: ${res.code}`);
            return null;
          }
          const sid = await createSession(db, { userId: res.user.id, provider: "oidc", label: res.user.email });
          return { sub: res.user.id, sid };
        }
        if (!user.id) return null;
        const sid = await createSession(db, { userId: user.id, provider: "credentials", label: user.email ?? user.id });
        return { sub: user.id, sid };
      },
      session({ session, token }) {
        return {
          expires: session.expires,
          sid: typeof token.sid === "string" ? token.sid : undefined,
        } as typeof session;
      },
    },
    events: {
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await endSession(getDb(), sid, "signed_out");
      },
    },
    // Auth.js would log request bodies at debug level and full errors otherwise: names only.
    logger: {
      error: (e) => (e instanceof CredentialsSignin ? undefined : log.warn(errorBrief(e))),
      warn: (code) => log.warn(code),
      debug: () => undefined,
    },
  };
}
