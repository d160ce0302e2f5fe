/**
 * A vitest run of one fixture from test/support/exit-code.test.ts, with the project's own global
 * setup (so the embedded cluster is started, as in `npm test`). The fixtures sit outside the
 * normal include on purpose: one of them fails.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../.."),
  test: {
    include: ["test/support/exit-code/*.fixture.ts"],
    globalSetup: [process.env.EXIT_CODE_GLOBAL_SETUP || "./test/support/global-setup.ts"],
    setupFiles: ["./test/support/worker-setup.ts"],
    pool: "forks",
    hookTimeout: 60_000,
  },
});
