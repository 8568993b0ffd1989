// Tests that run in Node: pure unit tests (src/**), differential tests against Composer's own
// PHP code (test/differential), the whole app on Node + libSQL + a folder (test/node, test/e2e),
// and the pages in a real browser on both runtimes (test/browser).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "worker-git/src/**/*.test.ts", "test/differential/**/*.test.ts", "test/support/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts", "test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // Debian's Chromium (playwright-core) against `npm run serve` and `npm start` (wrangler dev).
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
