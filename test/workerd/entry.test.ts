// The Cloudflare entry wires every port from bindings: a request through src/worker.ts reaches
// D1 (admin bootstrap, token exchange) and R2 (health check).
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("workerd: src/worker.ts entry", () => {
  it("serves /healthz and bootstraps the admin from ADMIN_USER / ADMIN_PASSWORD", async () => {
    expect((await SELF.fetch("http://satchel.test/healthz")).status).toBe(200);
    const response = await SELF.fetch("http://satchel.test/api/auth/token", {
      method: "POST",
      body: JSON.stringify({ username: "admin", password: "admin-password" }),
    });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as { token: string };
    const root = await SELF.fetch("http://satchel.test/packages.json", { headers: { authorization: `Bearer ${token}` } });
    expect(root.status).toBe(200);
    expect(((await root.json()) as Record<string, unknown>)["metadata-url"]).toBe("http://satchel.test/p2/%package%.json");
  });

  it("leads an unauthenticated visit to / to the login form", async () => {
    const response = await SELF.fetch("http://satchel.test/", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
    const login = await SELF.fetch("http://satchel.test/login");
    expect(await login.text()).toContain('<form class="card" method="post" action="/login">');
  });
});
