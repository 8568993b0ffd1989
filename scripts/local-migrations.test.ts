import { describe, expect, it } from "vitest";
import { migrationsToApply } from "./local-migrations.ts";

// wrangler d1 migrations apply's output on a first start (trimmed to two migrations).
const FIRST_START = `Resource location: local
Migrations to be applied:
┌─────────────────────────┐
│ name                    │
├─────────────────────────┤
│ 0000_init.sql           │
├─────────────────────────┤
│ 0001_admin_pages.sql    │
└─────────────────────────┘
? About to apply 2 migration(s)
Your database may not be available to serve requests during the migration, continue?
🤖 Using fallback value in non-interactive context: yes
┌─────────────────────────┬────────┐
│ name                    │ status │
├─────────────────────────┼────────┤
│ 0000_init.sql           │ ✅     │
├─────────────────────────┼────────┤
│ 0001_admin_pages.sql    │ 🕒️    │
└─────────────────────────┴────────┘`;

describe("migrationsToApply", () => {
  it("names each migration wrangler is about to apply, once", () => {
    expect(migrationsToApply(FIRST_START)).toEqual(["0000_init.sql", "0001_admin_pages.sql"]);
  });

  it("names none when there is nothing to apply", () => {
    expect(migrationsToApply("Resource location: local\n✅ No migrations to apply!\n")).toEqual([]);
  });
});
