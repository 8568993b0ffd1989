// The Upstreams and Advisories pages in-process on Node + libSQL: admins only, forms through
// the API's validation, cache state (documents, hits, last sync) after a proxied request, and
// every action in the audit log.
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, json, type Harness } from "../contract/harness.ts";
import { PROXY_TEST_CONFIG } from "../contract/proxy.suite.ts";
import { PageClient } from "../support/page-client.ts";
import { StaticUpstream } from "../support/static-upstream.ts";
import { nodeHarness } from "./node-harness.ts";

describe("node: upstream and advisory pages", () => {
  let harness: Harness;
  let upstream: StaticUpstream;
  let admin: PageClient;
  let token: string;

  beforeAll(async () => {
    upstream = new StaticUpstream("https://upstream.test");
    await upstream.addPackage("psr/log", [{ version: "3.0.0" }]);
    harness = await nodeHarness(PROXY_TEST_CONFIG, { fetch: upstream.fetch });
    token = (await json<{ token: string }>(await harness.app.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "admin", password: "admin-password" }) }))).token;
    await harness.app.request("/api/users", { method: "POST", headers: bearer(token), body: JSON.stringify({ username: "cust", password: "customer-password" }) });
    admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
  });

  it("keeps customers out", async () => {
    const customer = new PageClient(harness.app);
    await customer.login("cust", "customer-password");
    for (const path of ["/admin/upstreams", "/admin/advisories"]) expect((await customer.get(path)).status).toBe(403);
  });

  it("adds an upstream, shows its cache state, edits approvals and access", async () => {
    await admin.get("/admin/upstreams");
    const bad = await admin.post("/admin/upstreams", { name: "x", url: "ftp://nope", priority: "0" });
    expect(bad.status).toBe(303);
    expect((await admin.get("/admin/upstreams")).body).toContain("http(s) URL");
    const added = await admin.post("/admin/upstreams", { name: "local", url: "https://upstream.test", priority: "5", cacheDists: "1", password: "upstream-secret-Zq8x" });
    expect(added.location).toBe("/admin/upstreams");
    expect((await harness.app.request("https://repo.example.test/p2/psr/log.json", { headers: bearer(token) })).status).toBe(200);
    const list = await admin.get("/admin/upstreams");
    expect(list.body).toContain("https://upstream.test");
    expect(list.body).toMatch(/1 documents/);
    expect(list.body).not.toContain("upstream-secret-Zq8x");
    const id = /href="\/admin\/upstreams\/(\d+)"/.exec(list.body)?.[1];
    await admin.get(`/admin/upstreams/${id}`);
    expect((await admin.post(`/admin/upstreams/${id}`, { name: "local", url: "https://upstream.test", priority: "1", strict: "1", cacheDists: "1" })).location).toBe(`/admin/upstreams/${id}`);
    await admin.post(`/admin/upstreams/${id}/approved`, { pattern: "psr/*" });
    const edit = await admin.get(`/admin/upstreams/${id}`);
    expect(edit.body).toContain("psr/*");
    expect(edit.body).toContain("password (stored; leave empty to keep)".replace("password", "Password"));
    await admin.post(`/admin/upstreams/${id}/approved/delete`, { pattern: "psr/*" });
    expect((await admin.get(`/admin/upstreams/${id}`)).body).toContain("Nothing approved yet");
    await admin.get("/admin/upstreams");
    await admin.post("/admin/upstreams/access", { policy: "groups" });
    const access = await json<{ policy: string }>(await harness.app.request("/api/proxy-access", { headers: bearer(token) }));
    expect(access.policy).toBe("groups");
    const audit = await admin.get("/admin/audit");
    for (const action of ["upstream added", "upstream changed", "upstream package approved", "proxy access changed"]) expect(audit.body).toContain(action);
  });

  it("records and deletes advisories", async () => {
    await admin.get("/admin/advisories");
    const bad = await admin.post("/admin/advisories", { packageName: "acme/lib", title: "x", affectedVersions: "not a constraint!!" });
    expect(bad.status).toBe(303);
    expect((await admin.get("/admin/advisories")).body).toContain("not a valid constraint");
    await admin.post("/admin/advisories", { packageName: "acme/lib", title: "<script>alert(1)</script>", affectedVersions: "<1.2", severity: "high", link: "javascript:alert(1)" });
    const page = await admin.get("/admin/advisories");
    expect(page.body).toContain("must be an http(s) URL");
    await admin.post("/admin/advisories", { packageName: "acme/lib", title: "<script>alert(1)</script>", affectedVersions: "<1.2", severity: "high" });
    const listed = await admin.get("/admin/advisories");
    expect(listed.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const id = /action="\/admin\/advisories\/(\d+)\/delete"/.exec(listed.body)?.[1];
    expect((await admin.post(`/admin/advisories/${id}/delete`, {})).location).toBe("/admin/advisories");
    expect((await admin.get("/admin/advisories")).body).toContain("No advisories recorded");
  });
});
