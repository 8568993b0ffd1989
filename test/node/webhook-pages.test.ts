// The webhook pages in-process on Node + libSQL, against a real receiver: admins only, create a
// hook (its secret shown once), send a test and read it in the delivery log, allow a host,
// manage incoming secrets; every action in the audit log, every value escaped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type Harness } from "../contract/harness.ts";
import { startHookReceiver, type HookReceiver } from "../support/hook-receiver.ts";
import { PageClient } from "../support/page-client.ts";
import { nodeHarness } from "./node-harness.ts";

describe("node: webhook pages", () => {
  let harness: Harness;
  let receiver: HookReceiver;
  let admin: PageClient;

  beforeAll(async () => {
    harness = await nodeHarness();
    receiver = await startHookReceiver();
    const token = (await json<{ token: string }>(await harness.app.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: "admin", password: "admin-password" }) }))).token;
    await harness.app.request("/api/users", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ username: "cust", password: "customer-password" }) });
    admin = new PageClient(harness.app);
    await admin.login("admin", "admin-password");
  });
  afterAll(() => receiver.close());

  it("keeps the webhook pages to admins", async () => {
    const anonymous = new PageClient(harness.app);
    expect((await anonymous.get("/admin/webhooks")).location).toBe("/login");
    const customer = new PageClient(harness.app);
    await customer.login("cust", "customer-password");
    for (const path of ["/admin/webhooks", "/admin/webhooks/new", "/admin/webhooks/incoming"]) expect([path, (await customer.get(path)).status]).toEqual([path, 403]);
    expect((await customer.post("/admin/webhooks/allowed-hosts", { host: "10.0.0.1" })).status).toBe(403);
  });

  it("creates a hook, shows its secret once, sends a test and logs the delivery", async () => {
    const list = await admin.get("/admin/webhooks");
    expect(list.body).toContain("No webhooks yet");
    const form = { name: "chat", url: `${receiver.url}/chat`, method: "POST", events: ["new_release", "delete_repo"], contentType: "application/json", active: "1", headers: "X-Team: platform", template: '{"text": "{{package.name}} </textarea><script>alert(1)</script>"}' };
    // Loopback is refused until an admin allows the host.
    const refused = await admin.post("/admin/webhooks", form);
    expect(refused.location).toBe("/admin/webhooks/new");
    expect((await admin.get("/admin/webhooks/new")).body).toContain("only reach public addresses");
    expect((await admin.post("/admin/webhooks/allowed-hosts", { host: "127.0.0.1" })).location).toBe("/admin/webhooks");
    const created = await admin.post("/admin/webhooks", form);
    expect(created.status).toBe(200);
    const secret = /<pre id="hook-secret">([0-9a-f]{64})<\/pre>/.exec(created.body)?.[1];
    expect(secret).toBeDefined();
    expect(created.body).not.toContain("<script>alert(1)</script>");
    expect(created.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const id = /action="\/admin\/webhooks\/(\d+)\/test"/.exec(created.body)?.[1];
    const page = await admin.get(`/admin/webhooks/${id}`);
    expect(page.body).not.toContain(secret as string);
    expect(page.body).toContain("x-team: platform");

    const test = await admin.post(`/admin/webhooks/${id}/test`, {});
    expect(test.location).toBe(`/admin/webhooks/${id}/deliveries`);
    const log = await admin.get(`/admin/webhooks/${id}/deliveries`);
    expect(log.body).toContain("Test sent; the receiver answered 200");
    expect(log.body).toMatch(/badge ok">succeeded/);
    expect(log.body).toContain("x-team: platform");
    expect((await admin.get("/admin/webhooks")).body).toMatch(/chat<\/a>[\s\S]*?badge ok">succeeded/);

    const badTemplate = await admin.post(`/admin/webhooks/${id}`, { ...form, template: "{{#versions}}unclosed" });
    expect(badTemplate.location).toBe(`/admin/webhooks/${id}`);
    expect((await admin.get(`/admin/webhooks/${id}`)).body).toContain("is never closed");
    await admin.post(`/admin/webhooks/${id}`, { ...form, name: "chat-renamed" });
    expect((await admin.get("/admin/webhooks")).body).toContain("chat-renamed");
    const rotated = await admin.post(`/admin/webhooks/${id}/rotate`, {});
    const next = /<pre id="hook-secret">([0-9a-f]{64})<\/pre>/.exec(rotated.body)?.[1];
    expect(next).toBeDefined();
    expect(next).not.toBe(secret);
    await admin.get(`/admin/webhooks/${id}`);
    expect((await admin.post(`/admin/webhooks/${id}/delete`, {})).location).toBe("/admin/webhooks");
    const audit = await admin.get("/admin/audit");
    for (const action of ["webhook host allowed", "webhook created", "webhook changed", "webhook secret rotated", "webhook deleted"]) expect(audit.body).toContain(action);
  });

  it("shows each provider's URL and manages incoming secrets", async () => {
    const page = await admin.get("/admin/webhooks/incoming");
    for (const path of ["/api/github", "/api/gitlab", "/api/gitea", "/api/bitbucket"]) expect(page.body).toContain(`https://repo.example.test${path}`);
    const created = await admin.post("/admin/webhooks/incoming", { name: "org hook", provider: "github", package: "" });
    const secret = /<pre id="hook-secret">([0-9a-f]{64})<\/pre>/.exec(created.body)?.[1];
    expect(secret).toBeDefined();
    const again = await admin.get("/admin/webhooks/incoming");
    expect(again.body).toContain("<td>org hook</td>");
    expect(again.body).not.toContain(secret as string);
    expect((await admin.post("/admin/webhooks/incoming", { name: "x", provider: "svn", package: "" })).location).toBe("/admin/webhooks/incoming");
    const id = /action="\/admin\/webhooks\/incoming\/(\d+)\/delete"/.exec(again.body)?.[1];
    await admin.post(`/admin/webhooks/incoming/${id}/delete`, {});
    const after = await admin.get("/admin/webhooks/incoming");
    expect(after.body).toContain("org hook was deleted");
    expect(after.body).not.toContain("<td>org hook</td>");
  });
});
