// The integration pages in-process on Node + libSQL, against the local GitHub organization API:
// admins only; a token without a needed scope answers 422 with the missing scope on the page
// and saves nothing; a good one connects, syncs, shows each repository's state, and adds the
// checked ones in one form post. No secret is ever rendered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type Harness } from "../contract/harness.ts";
import { startForgeOrgApi } from "../support/forge-org-api.ts";
import { PageClient } from "../support/page-client.ts";
import { nodeHarness } from "./node-harness.ts";

describe("node: integration pages", () => {
  let harness: Harness;
  let forge: Awaited<ReturnType<typeof startForgeOrgApi>>;
  let admin: PageClient;
  const setOrg = (body: unknown) => fetch(`${forge.url}/_control/org`, { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    harness = await nodeHarness();
    forge = await startForgeOrgApi();
    const token = (await json<{ token: string }>(await harness.app.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "admin", password: "admin-password" }) }))).token;
    await harness.app.request("/api/users", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ username: "cust", password: "customer-password" }) });
    admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
  });
  afterAll(() => forge.close());

  it("keeps the integration pages to admins", async () => {
    const customer = new PageClient(harness.app);
    await customer.login("cust", "customer-password");
    expect((await customer.get("/admin/integrations")).status).toBe(403);
    expect((await customer.post("/admin/integrations", { provider: "github", organization: "x", token: "t" })).status).toBe(403);
  });

  it("says which scope a token lacks with a 422, and connects, syncs and adds with a good one", async () => {
    await setOrg({ org: "pages-org", repos: [{ id: 1, name: "lib" }, { id: 2, name: "docs", composer: false }, { id: 3, name: "app" }], scopes: "read:org" });
    const form = { provider: "github", apiUrl: `${forge.url}/gh`, organization: "pages-org", token: "ghp_page_token_secret", webhooks: "1" };
    await admin.get("/admin/integrations");
    const refused = await admin.post("/admin/integrations", form);
    expect(refused.status).toBe(422);
    expect(refused.body).toContain("lacks the &quot;repo&quot; scope");
    expect(refused.body).toContain("No organization is connected");

    await setOrg({ org: "pages-org", repos: [{ id: 1, name: "lib" }, { id: 2, name: "docs", composer: false }, { id: 3, name: "app" }] });
    const connected = await admin.post("/admin/integrations", { ...form, webhooks: "" });
    const detail = connected.location!;
    expect(detail).toMatch(/^\/admin\/integrations\/\d+$/);
    expect((await admin.post(`${detail}/sync`, {})).location).toBe(detail);
    const page = await admin.get(detail);
    expect(page.body).toContain("pages-org/docs");
    expect(page.body).toContain("no composer.json");
    expect(page.body).not.toContain("ghp_page_token_secret");
    expect((await admin.post(`${detail}/repositories`, { repositories: ["1", "3"] })).location).toBe(detail);
    const after = await admin.get(detail);
    expect(after.body.match(/<td class="when">added<\/td>/g)).toHaveLength(2);
  });
});
