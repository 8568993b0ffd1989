// The contract suite on Deno (npm run test:deno runs vitest itself under Deno), and the
// outgoing-webhook client, which goes through Deno's own node:http there.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "deno",
    include: ["test/deno/**/*.test.ts", "src/webhooks/outgoing/node-guarded-fetch.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
