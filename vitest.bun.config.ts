// The contract suite on Bun (npm run test:bun runs vitest itself under `bun --bun`). Bun's
// child processes lack what vitest's forks pool needs: worker threads instead.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bun",
    include: ["test/bun/**/*.test.ts"],
    environment: "node",
    pool: "threads",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
