// Server render time of the packages page with 10,000 packages, seeded through the app's own
// code path (createPackageRow), measured in-process on Node + libSQL. The figure is printed;
// the assertion is deliberately loose (a shared CI machine is no benchmark).
import { beforeAll, describe, expect, it } from "vitest";
import { createPackageRow } from "../../src/packages/package-store.ts";
import type { Harness } from "../contract/harness.ts";
import { PageClient } from "../support/page-client.ts";
import { nodeHarness } from "./node-harness.ts";

const PACKAGES = 10_000;

async function median(client: PageClient, path: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const response = await client.get(path);
    times.push(performance.now() - start);
    expect(response.status).toBe(200);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

describe("node: packages page with 10,000 packages", () => {
  let harness: Harness;
  let admin: PageClient;

  beforeAll(async () => {
    harness = await nodeHarness();
    const started = performance.now();
    for (let i = 0; i < PACKAGES; i++) {
      await createPackageRow(harness.app.services, { name: `vendor${i % 100}/package-${String(i).padStart(5, "0")}`, kind: "artifact", repository: null });
    }
    console.log(`seeded ${PACKAGES} packages in ${Math.round(performance.now() - started)} ms`);
    admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
  }, 300_000);

  it("renders pages of 50 from SQL, fast at any page and with a search", async () => {
    const first = await admin.get("/admin/packages");
    expect(first.body).toContain("10,000 packages");
    expect(first.body).toContain("vendor0/package-00000");
    const last = await admin.get("/admin/packages?page=200");
    expect(last.body).toContain("Page 200 of 200");
    const figures = {
      first: await median(admin, "/admin/packages", 25),
      middle: await median(admin, "/admin/packages?page=100", 25),
      search: await median(admin, "/admin/packages?q=package-0999", 25),
      dashboard: await median(admin, "/", 25),
    };
    console.log(`render time, median of 25 (ms): ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v.toFixed(1))])))}`);
    // Loose on purpose: the target is < 50 ms; this only catches an accidental full scan in JS.
    for (const value of Object.values(figures)) expect(value).toBeLessThan(500);
  });
});
