// The pages in-process on Node + libSQL: who may open what, CSRF, throttling, two-factor sign-in
// and its effect on POST /api/auth/token, and that admin actions land in the audit log.
import { beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../src/auth/totp.ts";
import { recordCurrentAlerts } from "../../src/integrations/security/security-alert-store.ts";
import { bearer, json, packageZip, type Harness } from "../contract/harness.ts";
import { PageClient } from "../support/page-client.ts";
import { nodeHarness } from "./node-harness.ts";

const ADMIN_PAGES = ["/admin/packages", "/admin/packages/new", "/admin/packages/acme/lib", "/admin/users", "/admin/groups", "/admin/subrepositories", "/admin/credentials", "/admin/jobs", "/admin/stats", "/admin/audit", "/admin/security-alerts"];

describe("node: admin and customer pages", () => {
  let harness: Harness;
  let adminToken: string;

  beforeAll(async () => {
    harness = await nodeHarness();
    const { app } = harness;
    adminToken = (await json<{ token: string }>(await app.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "admin", password: "admin-password" }) }))).token;
    const upload = await app.request("/api/packages/upload/acme/lib/1.0.0", { method: "PUT", headers: bearer(adminToken), body: packageZip({ name: "acme/lib" }) });
    expect(upload.status).toBe(201);
    await app.request("/api/packages/upload/acme/lib/1.1.0", { method: "PUT", headers: bearer(adminToken), body: packageZip({ name: "acme/lib" }) });
    await app.request("/api/packages/upload/acme/other/1.0.0", { method: "PUT", headers: bearer(adminToken), body: packageZip({ name: "acme/other" }) });
    await app.request("/api/users", { method: "POST", headers: bearer(adminToken), body: JSON.stringify({ username: "cust", password: "customer-password" }) });
  });

  it("sends an unauthenticated visit to the login form, on every page", async () => {
    const anonymous = new PageClient(harness.app);
    for (const path of ["/", "/my-packages", "/account", "/account/tokens", ...ADMIN_PAGES]) {
      const response = await anonymous.get(path);
      expect([path, response.status, response.location]).toEqual([path, 302, "/login"]);
    }
  });

  it("gives a customer 403 on every admin page and their own packages on /", async () => {
    const customer = new PageClient(harness.app);
    expect((await customer.login("cust", "customer-password")).location).toBe("/");
    for (const path of ADMIN_PAGES) expect([path, (await customer.get(path)).status]).toEqual([path, 403]);
    const home = await customer.get("/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("My packages");
    expect(home.body).not.toContain("/admin/users");
    const write = await customer.post("/admin/users", { username: "evil", password: "evil-password", roles: "ROLE_ADMIN" });
    expect(write.status).toBe(403);
  });

  it("lists the current security alerts per repository, escaped, and not the resolved ones", async () => {
    const { services } = harness.app;
    const advisory = (id: string, title: string) => ({ advisoryId: id, title, link: `https://security.example.test/${id}`, cve: null, severity: "high", affectedVersions: "<2.0" });
    const repository = { key: "github:api.github.com/acme/shop", name: "acme/shop", packageId: null };
    await recordCurrentAlerts(services, repository, [{ name: "acme/lib", version: "1.1.0", advisory: advisory("SATCHEL-2026-a1", "<script>alert(1)</script> in templates") }, { name: "acme/old", version: "0.1.0", advisory: advisory("SATCHEL-2026-b2", "gone soon") }]);
    await recordCurrentAlerts(services, repository, [{ name: "acme/lib", version: "1.1.0", advisory: advisory("SATCHEL-2026-a1", "<script>alert(1)</script> in templates") }]);
    const admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
    const page = await admin.get("/admin/security-alerts");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<h2>acme/shop</h2>");
    expect(page.body).toContain('<a href="https://security.example.test/SATCHEL-2026-a1" rel="noopener noreferrer">SATCHEL-2026-a1</a> &lt;script&gt;alert(1)&lt;/script&gt; in templates');
    expect(page.body).not.toContain("SATCHEL-2026-b2");
  });

  it("lists packages with their version counts, searchable", async () => {
    const admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
    const list = await admin.get("/admin/packages");
    expect(list.body).toContain("2 packages");
    expect(list.body).toMatch(/acme\/lib<\/code>[\s\S]*?<td class="num">2<\/td>/);
    const found = await admin.get("/admin/packages?q=other");
    expect(found.body).toContain("1 package matching");
    expect(found.body).not.toContain(">acme/lib<");
  });

  it("refuses a form without the CSRF token or from another origin", async () => {
    const admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
    await admin.get("/admin/groups");
    expect((await admin.post("/admin/groups", { name: "no-csrf" }, { csrf: null })).status).toBe(403);
    expect((await admin.post("/admin/groups", { name: "wrong-csrf" }, { csrf: "x".repeat(43) })).status).toBe(403);
    expect((await admin.post("/admin/groups", { name: "cross-site" }, { origin: "https://evil.example" })).status).toBe(403);
    const ok = await admin.post("/admin/groups", { name: "with-csrf", grants: "acme/lib <2.0" });
    expect(ok.status).toBe(303);
    expect((await admin.get("/admin/groups")).body).toContain("with-csrf");
    // The login form has its own (pre-session) token.
    const stranger = new PageClient(harness.app);
    expect((await stranger.post("/login", { username: "admin", password: "admin-password" }, { csrf: null })).status).toBe(403);
  });

  it("creates and edits users and groups through the forms, with the API's validation", async () => {
    const admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
    await admin.get("/admin/groups");
    await admin.post("/admin/groups", { name: "g-one", grants: "acme/lib ^1.0\nacme/*" });
    await admin.get("/admin/groups");
    await admin.post("/admin/groups", { name: "g-two", grants: "acme/lib" });
    const bad = await admin.post("/admin/groups", { name: "g-bad", grants: "acme/lib not-a-constraint" });
    expect(bad.location).toBe("/admin/groups");
    expect((await admin.get("/admin/groups")).body).toContain("is not a valid constraint");
    const groups = await json<{ groups: { id: number; name: string; packages: unknown[] }[] }>(await harness.app.request("/api/groups", { headers: bearer(adminToken) }));
    const ids = groups.groups.filter((group) => group.name.startsWith("g-")).map((group) => String(group.id));
    expect(groups.groups.find((group) => group.name === "g-one")?.packages).toEqual([{ name: "acme/lib", version: "^1.0" }, { name: "acme/*" }]);

    await admin.get("/admin/users");
    const created = await admin.post("/admin/users", { username: "multi", password: "multi-password", roles: ["ROLE_MAINTAINER", "ROLE_FULL_CUSTOMER"], groups: ids, expiresAt: "2030-01-31" });
    const id = /\/admin\/users\/(\d+)$/.exec(created.location ?? "")?.[1];
    const user = await json<{ roles: string[]; groups: number[]; expiresAt: string }>(await harness.app.request(`/api/users/${id}`, { headers: bearer(adminToken) }));
    expect(user.roles).toEqual(["ROLE_MAINTAINER", "ROLE_FULL_CUSTOMER"]);
    expect(user.groups.map(String).sort()).toEqual([...ids].sort());
    expect(user.expiresAt).toBe("2030-01-31T00:00:00.000Z");
    await admin.get(`/admin/users/${id}`);
    await admin.post(`/admin/users/${id}`, { roles: "ROLE_USER", disabled: "1" });
    const edited = await json<{ roles: string[]; groups: number[]; disabled: boolean; expiresAt: string | null }>(await harness.app.request(`/api/users/${id}`, { headers: bearer(adminToken) }));
    expect(edited).toMatchObject({ roles: ["ROLE_USER"], groups: [], disabled: true, expiresAt: null });
  });

  it("throttles password guessing on the login form", async () => {
    const guesser = new PageClient(harness.app);
    await guesser.get("/login");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await guesser.post("/login", { username: "throttled", password: `guess-${i}` })).status);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("turns on TOTP, then asks for a code at sign-in and on POST /api/auth/token", async () => {
    const { app } = harness;
    await app.request("/api/users", { method: "POST", headers: bearer(adminToken), body: JSON.stringify({ username: "twofa", password: "twofa-password" }) });
    const user = new PageClient(app);
    await user.login("twofa", "twofa-password");
    const setup = await user.get("/account/2fa");
    expect(setup.body).toContain("otpauth://totp/");
    expect(setup.body).toContain("<svg");
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(setup.body)?.[1] ?? "";
    const enabled = await user.post("/account/2fa", { secret, signature: /name="signature" value="([^"]+)"/.exec(setup.body)?.[1] ?? "", otp: await totpCode(secret, Date.now()) });
    expect(enabled.status).toBe(200);
    const codes = /<pre id="recovery-codes">([^<]+)<\/pre>/.exec(enabled.body)?.[1]?.split("\n") ?? [];
    expect(codes).toHaveLength(10);

    const tokenFor = (body: Record<string, string>) => app.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "twofa", password: "twofa-password", ...body }) });
    expect((await json<{ error: { code: string } }>(await tokenFor({}))).error.code).toBe("otp_required");
    expect((await tokenFor({ otp: "000000" })).status).toBe(401);
    expect((await tokenFor({ otp: codes[0] ?? "" })).status).toBe(201);
    // A recovery code works once.
    expect((await tokenFor({ otp: codes[0] ?? "" })).status).toBe(401);

    const again = new PageClient(app);
    const password = await again.login("twofa", "twofa-password");
    expect(password.status).toBe(200);
    expect(password.body).toContain("Two-factor authentication");
    expect((await again.post("/login/otp", { otp: "123456" })).status).toBe(401);
    const signedIn = await again.post("/login/otp", { otp: codes[1] ?? "" });
    expect(signedIn.location).toBe("/");
    expect((await again.get("/account")).body).toContain("8 unused recovery codes");
  });

  it("shows a token once, lists it with its last use, and revokes it", async () => {
    const customer = new PageClient(harness.app);
    await customer.login("cust", "customer-password");
    await customer.get("/account/tokens");
    const created = await customer.post("/account/tokens", { name: "laptop" });
    const token = /<pre id="new-token"[^>]*>([^<]+)<\/pre>/.exec(created.body)?.[1] ?? "";
    expect(token).toMatch(/^satchel_/);
    expect(created.body).toContain(`http-basic.repo.example.test cust ${token}`);
    expect((await harness.app.request("/packages.json", { headers: bearer(token) })).status).toBe(200);
    const list = await customer.get("/account/tokens");
    expect(list.body).not.toContain(token);
    const id = /\/account\/tokens\/(\d+)\/revoke/.exec(list.body)?.[1];
    expect((await customer.post(`/account/tokens/${id}/revoke`, {})).status).toBe(303);
    expect((await harness.app.request("/packages.json", { headers: bearer(token) })).status).toBe(401);
  });

  it("records admin actions from pages and the API, with who and from where", async () => {
    const admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
    await harness.app.request("/api/groups", { method: "POST", headers: { ...bearer(adminToken), "cf-connecting-ip": "203.0.113.9" }, body: JSON.stringify({ name: "from-api" }) });
    const audit = await admin.get("/admin/audit");
    expect(audit.body).toContain("group created");
    expect(audit.body).toContain("api POST");
    expect(audit.body).toContain("/api/groups");
    expect(audit.body).toContain("203.0.113.9");
    expect(audit.body).toContain("login");
  });
});
