// Stored XSS: hostile package metadata (description, composer.json author names, keywords, a
// javascript: homepage), a hostile README, hostile group, token and credential names, and hostile
// job results are stored through the app's own paths, then every page is opened in Chromium. Nothing may run:
// no dialog, no flag set by an injected script, no javascript: link, and the text shows literally.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packages } from "../../src/db/schema.ts";
import { claimJob, enqueueJob, finishJob, recordUpdateError } from "../../src/jobs/job-store.ts";
import { startNodeServer, type RunningServer } from "../../src/node.ts";
import { packageZip } from "../contract/harness.ts";
import { chromiumAvailable, openBrowser, screenshot, type Browser } from "./chromium.ts";

const hasChromium = chromiumAvailable();
const payload = (n: number) => `<script>window.__xss=${n}</script><img src=x onerror="window.__xss=${n}">`;
/** Raw HTML, marked's raw-block text after an inline <script>, and every URL trick in links and images. */
const hostileReadme = [
  "# Evil <script>window.__xss=20</script>",
  payload(21),
  "Text <script> <<img src=x onerror=window.__xss=22// unclosed",
  "[a](javascript:window.__xss=23) [b](JaVaScRiPt:window.__xss=24) [c](java\tscript:window.__xss=25) [d](&#106;avascript:window.__xss=26) <javascript:window.__xss=27>",
  "![e](javascript:window.__xss=28) ![f](data:image/svg+xml,<svg/onload=window.__xss=29>) [g](data:text/html,<script>window.__xss=30</script>)",
  '<a href="javascript:window.__xss=31">h</a> <svg onload="window.__xss=32"></svg> <iframe src="javascript:window.__xss=33"></iframe>',
  "[fine](https://example.com/docs)",
].join("\n\n");

describe.skipIf(!hasChromium)("node: hostile stored data is shown, never run", () => {
  let server: RunningServer;
  let browser: Browser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "satchel-xss-"));
    server = await startNodeServer({ SATCHEL_DATA_DIR: dataDir, PORT: "0", ADMIN_USER: "admin", ADMIN_PASSWORD: "admin-password", SATCHEL_DEFAULT_UPSTREAM: "none" });
    const { services } = server.app;
    const api = async (method: string, route: string, body?: unknown, token?: string) => {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body: body instanceof Uint8Array ? body : body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const { token } = (await api("POST", "/api/auth/token", { username: "admin", password: "admin-password" })) as { token: string };
    const composerJson = {
      name: "evil/pkg",
      description: payload(1),
      keywords: [payload(2)],
      homepage: "javascript:window.__xss=3",
      authors: [{ name: payload(4), email: "x@example.com" }],
      require: { php: ">=8.0" },
      suggest: { "acme/other": payload(5) },
    };
    try {
      await api("PUT", "/api/packages/upload/evil/pkg/1.0.0", packageZip(composerJson), token);
    } catch {
      // Composer's validation may drop or refuse the javascript: homepage; keep the rest hostile.
      await api("PUT", "/api/packages/upload/evil/pkg/1.0.0", packageZip({ ...composerJson, homepage: undefined }), token);
    }
    await api("POST", "/api/groups", { name: payload(6), packages: [{ name: "evil/pkg", version: "<2.0" }] }, token);
    // A flag whose reason is hostile (the Policies page lists it).
    await api("PUT", "/api/packages/upload/evil/pkg/1.0.1", packageZip({ ...composerJson, homepage: undefined }), token);
    await api("POST", "/api/packages/evil/pkg/flags", { version: "1.0.1", kind: "malware", reason: payload(16) }, token);
    await api("POST", "/api/credentials", { name: payload(7), kind: "github-token", secret: "ghp_secret", publicInfo: payload(8) }, token);
    await api("POST", "/api/tokens", { name: payload(9) }, token);
    await api("POST", "/api/subrepositories", { name: payload(16), slug: "evil", packages: ["evil/pkg", "evil/not-yet"], public: true }, token);
    // A job whose worker reported hostile reasons, and a package whose update failed with one.
    const job = await enqueueJob(services, "create-package", null, { repository: payload(10) });
    await claimJob(services, "xss-worker", 60_000);
    await finishJob(services, job.id, "xss-worker", { status: "failed", result: { error: payload(11), skipped: [{ kind: "tag", name: payload(12), reason: payload(13) }], note: payload(14) } });
    const pkgJob = await enqueueJob(services, "update-package", Number((await services.catalog.find("evil/pkg", services.now()))?.id), {});
    await recordUpdateError(services, pkgJob, payload(15));
    // The git worker's publish stores the README verbatim (test/e2e/git-worker.test.ts); here it is set directly.
    await services.db.orm.update(packages).set({ readme: hostileReadme }).where(eq(packages.name, "evil/pkg"));
    browser = await openBrowser();
    browser.page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("escapes everything on every page", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/login`);
    await page.fill("#username", "admin");
    await page.fill("#password", "admin-password");
    await Promise.all([page.waitForURL(`${server.url}/`), page.click("button[type=submit]")]);
    // A duplicate name echoes the hostile input in an error message (flash).
    await page.goto(`${server.url}/admin/groups`);
    await page.fill("#name", payload(6));
    await page.click("text=Create group");
    expect(await page.textContent(".flash")).toContain(payload(6));

    const pages = ["/", "/my-packages", "/admin/packages", "/admin/packages?q=%3Cscript%3E", "/admin/packages/evil/pkg", "/admin/groups", "/admin/groups/1", "/admin/subrepositories", "/admin/policies", "/admin/users", "/admin/credentials", "/admin/jobs", "/admin/audit", "/admin/stats", "/account/tokens"];
    for (const route of pages) {
      await page.goto(`${server.url}${route}`);
      expect([route, await page.evaluate(() => (globalThis as { __xss?: number }).__xss ?? null)]).toEqual([route, null]);
      expect([route, await page.locator("a[href^='javascript:' i]").count()]).toEqual([route, 0]);
    }
    expect(dialogs).toEqual([]);

    await page.goto(`${server.url}/admin/packages/evil/pkg`);
    const detail = (await page.textContent("body")) ?? "";
    expect(detail).toContain(payload(1));
    expect(detail).toContain(payload(15));
    // The README renders as Markdown, its HTML as text, and only the safe link survives.
    expect(await page.textContent(".readme h1")).toBe("Evil <script>window.__xss=20</script>");
    expect(await page.textContent(".readme")).toContain(payload(21));
    expect(await page.locator(".readme script, .readme img, .readme svg, .readme iframe").count()).toBe(0);
    expect(await page.locator(".readme a").evaluateAll((links) => links.map((link) => (link as { href: string }).href))).toEqual([
      // A character reference is not decoded into a scheme: it stays a relative URL.
      expect.stringMatching(/^http:\/\/[^/]+\/admin\/packages\/evil\/&#106;avascript:/),
      "https://example.com/docs",
    ]);
    const handlers = await page.locator(".readme *").evaluateAll((nodes) => nodes.flatMap((node) => (node as { getAttributeNames(): string[] }).getAttributeNames()).filter((name) => name.startsWith("on")));
    expect(handlers).toEqual([]);
    await page.goto(`${server.url}/admin/jobs`);
    await page.click("summary");
    const jobs = (await page.textContent("body")) ?? "";
    for (const n of [10, 11, 12, 13, 14]) expect(jobs).toContain(payload(n));
    await screenshot(page, "xss-jobs");
    await page.goto(`${server.url}/admin/groups`);
    expect(await page.textContent("table")).toContain(payload(6));
    await page.goto(`${server.url}/admin/subrepositories`);
    expect(await page.textContent("#subrepository-1 h2")).toContain(payload(16));
    await page.goto(`${server.url}/admin/credentials`);
    expect(await page.textContent("table")).toContain(payload(7));
    expect(await page.textContent("table")).not.toContain("ghp_secret");
  });
});
