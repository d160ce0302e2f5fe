import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve("."), "server-only": path.resolve("lib/testing/empty.ts") } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "lib/**/*.test.{ts,tsx}", "db/**/*.test.{ts,tsx}", "components/**/*.test.{ts,tsx}"],
    globalSetup: ["./lib/testing/global-setup.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
      APP_SECRET: "test-app-secret-0123456789abcdef0123456789ab",
      SEED_DEMO_DATA: "false",
      LOG_LEVEL: "warn",
      PUSH_JOB_EXPIRE_SECONDS: "4",
      PUSH_MAINTENANCE_SECONDS: "1",
    },
  },
});
