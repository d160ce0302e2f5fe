import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { SandboxBanner } from "@/components/sandbox-banner";
import { ZodJitless } from "@/components/zod-jitless";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "CSI Referral Review", template: "%s · CSI Referral Review" },
  description: "Review home-care referral requests from AlayaCare agencies and send approvals back through ACCloud.",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Every page is rendered per request (none at build time): Next puts the request's CSP nonce
 * (proxy.ts) on the scripts it renders, and a page built ahead has none, so its scripts would
 * be refused.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <ZodJitless />
        <SandboxBanner />
        {children}
      </body>
    </html>
  );
}
