// Security headers on every response (nosniff, no framing, a referrer policy, a CSP), pages
// without inline script or inline event handlers, and cookies marked Secure behind TLS.
import { beforeAll, describe, expect, it } from "vitest";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

const ADMIN_PAGES = ["/", "/my-packages", "/account", "/account/tokens", "/admin/packages", "/admin/packages/new", "/admin/users", "/admin/groups", "/admin/subrepositories", "/admin/credentials", "/admin/webhooks", "/admin/upstreams", "/admin/advisories", "/admin/jobs", "/admin/stats", "/admin/audit"];

function expectCommonHeaders(response: { headers: Headers }, what: string) {
  expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(response.headers.get("x-frame-options"), what).toBe("DENY");
  expect(response.headers.get("referrer-policy"), what).toBe("same-origin");
  expect(response.headers.get("content-security-policy"), what).toMatch(/frame-ancestors 'none'/);
}

/** The policy's directive, e.g. "script-src 'self'". */
function directive(response: { headers: Headers }, name: string): string {
  return (response.headers.get("content-security-policy") ?? "").split(";").map((part) => part.trim()).find((part) => part.startsWith(`${name} `)) ?? "";
}

function expectNoInlineScript(html: string, what: string) {
  expect(html, what).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(html, what).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
  expect(html, what).not.toMatch(/javascript:/i);
}

export function securityHeadersSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: security headers and cookies`, () => {
    let harness: Harness;
    let client: Client;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
    });

    it("sends nosniff, DENY, a referrer policy and a script-free CSP with the sign-in page", async () => {
      const response = await client.request("/login");
      expect(response.status).toBe(200);
      expectCommonHeaders(response, "/login");
      expect(directive(response, "script-src")).toBe("script-src 'self'");
      expect(directive(response, "default-src")).toBe("default-src 'none'");
      expectNoInlineScript(await response.text(), "/login");
    });

    it("serves every signed-in page with the headers and no inline script or handler", async () => {
      const pages = new PageClient(harness.app);
      expect((await pages.login("admin", TEST_CONFIG.adminPassword as string)).status).toBe(303);
      for (const path of ADMIN_PAGES) {
        const response = await pages.get(path);
        expect(response.status, path).toBe(200);
        expectCommonHeaders(response, path);
        expect(directive(response, "script-src"), path).toBe("script-src 'self'");
        expectNoInlineScript(response.body, path);
      }
    });

    it("serves the pages' script as a file the policy allows", async () => {
      const response = await client.request("/assets/copy-buttons.js");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(await response.text()).toMatch(/data-copy/);
    });

    it("sends nosniff and a deny-all CSP with API, metadata and error responses", async () => {
      for (const path of ["/healthz", "/packages.json", "/api/users", "/no-such-endpoint"]) {
        const response = await client.request(path);
        expectCommonHeaders(response, path);
        expect(directive(response, "default-src"), path).toBe("default-src 'none'");
      }
    });

    it("sends them with every Composer answer: packages.json, p2 plain, gzipped and 304, and an archive", async () => {
      const admin = await client.adminToken();
      const name = unique("acme/secured");
      const { reference } = await client.uploadOk(admin, name, "1.0.0");
      const auth = { authorization: `Bearer ${admin}` };
      const p2 = await client.request(`/p2/${name}.json`, { headers: auth });
      expect(p2.status).toBe(200);
      const lastModified = p2.headers.get("last-modified")!;
      const answers = {
        "packages.json": await client.request("/packages.json", { headers: auth }),
        p2,
        "p2 gzip": await client.request(`/p2/${name}.json`, { headers: { ...auth, "accept-encoding": "gzip" } }),
        "p2 304": await client.request(`/p2/${name}.json`, { headers: { ...auth, "if-modified-since": lastModified } }),
        zipball: await client.request(`/zipball/${name}/${reference}.zip`, { headers: auth }),
      };
      expect(answers["p2 304"].status).toBe(304);
      expect(answers.zipball.status).toBe(200);
      for (const [what, response] of Object.entries(answers)) {
        expectCommonHeaders(response, what);
        expect(directive(response, "default-src"), what).toBe("default-src 'none'");
      }
    });

    it("marks cookies Secure when PUBLIC_URL is https, even when the request arrives as http (TLS ends at a proxy)", async () => {
      const response = await harness.app.request("http://repo.example.test/login");
      const cookies = response.headers.getSetCookie();
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
    });

    it("leaves Secure off a plain-http setup, and sets it for https requests", async () => {
      const plain = await factory({ publicUrl: "http://repo.example.test" });
      const overHttp = (await plain.app.request("http://repo.example.test/login")).headers.getSetCookie();
      expect(overHttp.length).toBeGreaterThan(0);
      for (const cookie of overHttp) expect(cookie).not.toMatch(/;\s*Secure/i);
      for (const cookie of (await plain.app.request("https://repo.example.test/login")).headers.getSetCookie()) expect(cookie).toMatch(/;\s*Secure/i);
    });
  });
}
