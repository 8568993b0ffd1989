// Whole-app tests inside workerd (@cloudflare/vitest-plugin) with real D1 and R2 bindings.
import path from "node:path";
import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: "./src/worker.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: "test-jwt-secret-0123456789",
            ENCRYPTION_KEY: "test-encryption-key-0123456789",
            WORKER_TOKEN: "test-worker-token-0123456789",
            ADMIN_USER: "admin",
            ADMIN_PASSWORD: "admin-password",
          },
        },
      }),
    ],
    test: {
      include: ["test/workerd/**/*.test.ts"],
      setupFiles: ["./test/workerd/apply-migrations.ts"],
      // A webhook receiver in Node for the outgoing-hook contract tests.
      // Drops workerd's trace of each failed outgoing fetch the suite makes on purpose (see the file).
      globalSetup: ["./test/workerd/hook-receiver-setup.ts", "./test/support/quiet-subrequest-failures.ts"],
      testTimeout: 60_000,
    },
  };
});
