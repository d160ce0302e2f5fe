import "server-only";
import NextAuth from "next-auth";
import { buildAuthConfig } from "./config";

/** Built on first use, so `next build` never needs the runtime environment. */
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());
