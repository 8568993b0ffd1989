import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, rowUpgradesFor, schemaIndex } from "./schema-version.ts";

describe("backup schema version", () => {
  it("knows every migration in migrations/, in order", async () => {
    const journal = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../../migrations/meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
    expect([...MIGRATIONS]).toEqual(journal.entries.map((entry) => entry.tag));
  });

  it("replays 0006's token update only on archives written before it", () => {
    const before = { name: "browser session", kind: undefined as unknown };
    for (const upgrade of rowUpgradesFor("tokens", schemaIndex("0005_package_readme"))) upgrade(before);
    expect(before.kind).toBe("session");
    expect(rowUpgradesFor("tokens", schemaIndex("0006_trust"))).toEqual([]);
    expect(schemaIndex("9999_future")).toBe(-1);
  });

  it("marks advisories from archives older than 0012 as already told (no mail about old news)", () => {
    const advisory: Record<string, unknown> = { id: 1, created_at: 1_700_000_000_000 };
    for (const upgrade of rowUpgradesFor("security_advisories", schemaIndex("0011_integrations"))) upgrade(advisory);
    expect(advisory.notified_at).toBe(1_700_000_000_000);
    expect(rowUpgradesFor("security_advisories", schemaIndex("0012_identity_rules_advisory_mail"))).toEqual([]);
  });
});
