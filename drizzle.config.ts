import { defineConfig } from "drizzle-kit";

// One migrations folder, written by drizzle-kit and applied by wrangler (D1) and src/node.ts (libSQL).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
