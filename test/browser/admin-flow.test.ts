// The admin and customer pages in Debian's Chromium against a running Satchel, on both
// runtimes (`npm run serve` on Node and `npm start` = wrangler dev): sign in, create a
// group with a constrained grant and a customer, upload and submit packages, then the customer
// creates a token in the browser, installs with the real composer, revokes it and fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../src/auth/totp.ts";
import { packageZip } from "../contract/harness.ts";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";
import { chromiumAvailable, openBrowser, screenshot, type Browser } from "./chromium.ts";

const hasChromium = chromiumAvailable();
const hasComposer = composerAvailable();
if (!hasComposer && process.env.CI === "true") throw new Error("composer is required on CI (apt-get install composer php-cli php-zip unzip)");

const RELEASES: [string, string][] = [
  ["1.0.0", "2025-01-01T00:00:00+00:00"],
  ["1.5.0", "2025-09-01T00:00:00+00:00"],
  ["2.0.0", "2026-01-01T00:00:00+00:00"],
];

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasChromium)(`${runtime}: pages in a real browser`, () => {
    let satchel: SatchelProcess;
    let browser: Browser;
    let customer: Awaited<ReturnType<Browser["newPerson"]>>;
    let customerToken = "";
    const shot = (name: string) => `${runtime}-${name}`;

    beforeAll(async () => {
      // Download counts are written at once, so the statistics pages show this run's installs.
      satchel = await startSatchel(runtime, { SATCHEL_STATS_FLUSH_MS: "0" });
      const token = await satchel.adminToken();
      for (const [version, time] of RELEASES) {
        const zip = packageZip(
          { name: "acme/lib", description: "Acme's library of useful things", time, require: { php: ">=8.1" }, autoload: { "psr-4": { "Acme\\Lib\\": "src/" } } },
          { files: { "src/Version.php": `<?php\nnamespace Acme\\Lib;\nfinal class Version { const VALUE = '${version}'; }\n` } },
        );
        const upload = await fetch(`${satchel.url}/api/packages/upload/acme/lib/${version}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" }, body: zip });
        expect(upload.status).toBe(201);
      }
      browser = await openBrowser();
    }, 180_000);

    afterAll(async () => {
      await customer?.close();
      await browser?.close();
      const code = await satchel?.stop("SIGTERM");
      expect(code === 0 || code === null, satchel?.output()).toBe(true);
    });

    it("leads an unauthenticated visit to the login form, and signs the admin in", async () => {
      const { page } = browser;
      await page.goto(`${satchel.url}/`);
      expect(new URL(page.url()).pathname).toBe("/login");
      await screenshot(page, shot("login"));
      await page.fill("#username", "admin");
      await page.fill("#password", "admin-password");
      await Promise.all([page.waitForURL(`${satchel.url}/`), page.click("button[type=submit]")]);
      expect(await page.textContent("h1")).toBe("Dashboard");
      await screenshot(page, shot("dashboard"));
    });

    it("creates a group with a constrained grant and a customer in it", async () => {
      const { page } = browser;
      await page.goto(`${satchel.url}/admin/groups`);
      await page.fill("#name", "Customer A");
      await page.fill("#grants", "acme/lib <2.0\ntools/*");
      await page.fill("#expiredUpdatesAt", "2027-06-30");
      await Promise.all([page.waitForURL(/\/admin\/groups$/), page.click("text=Create group")]);
      expect(await page.textContent(".flash")).toContain("Customer A was created");
      expect(await page.textContent("table.matrix")).toContain("<2.0");
      await screenshot(page, shot("groups"));

      await page.goto(`${satchel.url}/admin/users`);
      await page.fill("#username", "customer-a");
      await page.fill("#email", "a@customer.example");
      await page.fill("#password", "customer-password");
      await page.check("label:has-text('Customer A') input");
      await Promise.all([page.waitForURL(/\/admin\/users\/\d+$/), page.click("text=Create user")]);
      expect(await page.textContent(".flash")).toContain("customer-a was created");
      await page.goto(`${satchel.url}/admin/users`);
      expect(await page.textContent("table")).toContain("Customer A");
      await screenshot(page, shot("users"));
    });

    it("lists packages and shows a package's versions", async () => {
      const { page } = browser;
      await page.goto(`${satchel.url}/admin/packages`);
      await screenshot(page, shot("packages"));
      await Promise.all([page.waitForURL(/\/admin\/packages\/acme\/lib$/), page.click("a:has-text('acme/lib')")]);
      const releases = await page.textContent("body");
      expect(releases).toContain("2.0.0");
      expect(releases).toContain("php >=8.1");
      await screenshot(page, shot("package"));
      await screenshot(page, shot("package-top"), { fullPage: false });
    });

    it("uploads an archive and submits a git repository from the browser", async () => {
      const { page } = browser;
      await page.goto(`${satchel.url}/admin/packages/new`);
      await page.setInputFiles("#archive", { name: "tool.zip", mimeType: "application/zip", buffer: Buffer.from(packageZip({ name: "acme/tool", description: "A tool" })) });
      await page.fill("#version", "0.1.0");
      await Promise.all([page.waitForURL(/\/admin\/packages\/acme\/tool$/), page.click("form[action='/admin/packages/upload'] button")]);
      expect(await page.textContent(".flash")).toContain("acme/tool 0.1.0 is published");

      await page.goto(`${satchel.url}/admin/packages/new`);
      await page.fill("#repository", "https://git.invalid/acme/private-tool.git");
      await Promise.all([page.waitForURL(/\/admin\/jobs$/), page.click("form[action='/admin/packages/submit'] button")]);
      expect(await page.textContent(".flash")).toContain("queued");
      expect(await page.textContent("table")).toContain("git.invalid/acme/private-tool.git");
      await screenshot(page, shot("jobs"));
    });

    it("gives the customer their packages, a 403 on admin pages, and a token shown once", async () => {
      customer = await browser.newPerson();
      const { page } = customer;
      await page.goto(`${satchel.url}/login`);
      await page.fill("#username", "customer-a");
      await page.fill("#password", "customer-password");
      await Promise.all([page.waitForURL(`${satchel.url}/`), page.click("button[type=submit]")]);
      const packages = await page.textContent("table");
      expect(packages).toContain("acme/lib");
      expect(packages).toContain("1.5.0");
      expect(packages).toContain("<2.0, released before 2027-06-30");
      expect(packages).not.toContain("acme/tool");
      await screenshot(page, shot("customer"));
      await screenshot(page, shot("customer-phone"), { width: 390 });

      for (const path of ["/admin/users", "/admin/packages", "/admin/audit"]) {
        const response = await page.goto(`${satchel.url}${path}`);
        expect([path, response?.status()]).toEqual([path, 403]);
      }

      await page.goto(`${satchel.url}/account/tokens`);
      await page.fill("#name", "ci for shop");
      await page.click("text=Create token");
      customerToken = ((await page.textContent("#new-token")) ?? "").trim();
      expect(customerToken).toMatch(/^satchel_/);
      expect(await page.textContent("#created-commands")).toContain(`customer-a ${customerToken}`);
      await screenshot(page, shot("token-created"));
      await page.goto(`${satchel.url}/account/tokens`);
      expect(await page.textContent("body")).not.toContain(customerToken);
      expect(await page.textContent("table")).toContain("ci for shop");
    });

    it.skipIf(!hasComposer)("installs the granted version with that token, and fails once it is revoked in the browser", async () => {
      const project = await composerProject(satchel.url, "customer-a", customerToken, { "acme/lib": "*" });
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, "acme/lib")).toBe("1.5.0");

      const { page } = customer;
      await page.goto(`${satchel.url}/account/tokens`);
      await Promise.all([page.waitForURL(/\/account\/tokens$/), page.click("tr:has-text('ci for shop') button:has-text('Revoke')")]);
      expect(await page.textContent(".flash")).toContain("revoked");
      // Revocation reaches every isolate within the cache TTL (3 s).
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const fresh = await composerProject(satchel.url, "customer-a", customerToken, { "acme/lib": "*" });
      const refused = await composer(fresh, ["install"]);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/required authentication/);
    });

    it("turns on two-factor with the QR page, then asks for a code at sign-in and on the API", async () => {
      const { page } = customer;
      await page.goto(`${satchel.url}/account`);
      await page.click("text=Set up two-factor authentication");
      expect(await page.locator(".qr svg").count()).toBe(1);
      const secret = (await page.inputValue("input[name=secret]")).trim();
      await page.fill("#otp", await totpCode(secret, Date.now()));
      await page.click("text=Turn on");
      const codes = ((await page.textContent("#recovery-codes")) ?? "").trim().split("\n");
      expect(codes).toHaveLength(10);
      await page.click("text=Sign out");
      await page.fill("#username", "customer-a");
      await page.fill("#password", "customer-password");
      await page.click("button[type=submit]");
      await page.fill("#otp", codes[0] ?? "");
      await Promise.all([page.waitForURL(`${satchel.url}/`), page.click("text=Verify")]);
      expect(await page.textContent("h1")).toBe("My packages");
      const tokenFor = (otp?: string) =>
        fetch(`${satchel.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "customer-a", password: "customer-password", ...(otp ? { otp } : {}) }) });
      expect(((await (await tokenFor()).json()) as { error: { code: string } }).error.code).toBe("otp_required");
      expect((await tokenFor(codes[1])).status).toBe(201);
    });

    it("generates an SSH key pair on the server and shows only its public key", async () => {
      const { page } = browser;
      await page.goto(`${satchel.url}/admin/credentials`);
      await page.fill("#gen-name", "deploy key for acme");
      await page.click("text=Generate key pair");
      expect(await page.textContent("#public-key")).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S{43} satchel@127\.0\.0\.1$/);
      expect(await page.textContent("body")).not.toContain("PRIVATE KEY");
      await screenshot(page, shot("credentials"));
    });

    it("shows the admin's remaining pages", async () => {
      const { page } = browser;
      for (const [path, name] of [["/", "dashboard-after"], ["/admin/stats", "stats"], ["/admin/audit", "audit"], ["/account/2fa", "two-factor"], ["/account", "account"]]) {
        const response = await page.goto(`${satchel.url}${path}`);
        expect([path, response?.status()]).toEqual([path, 200]);
        await screenshot(page, shot(name));
      }
      expect(await page.textContent("body")).toContain("Change password");
      await page.goto(`${satchel.url}/admin/audit`);
      const audit = await page.textContent("table");
      for (const action of ["group created", "user created", "release uploaded", "package submitted", "login"]) expect(audit).toContain(action);
    });
  
    it("ran every page above under the Content-Security-Policy without a violation", async () => {
      const { page } = browser;
      // The copy buttons' script is a served file the policy allows.
      await page.goto(`${satchel.url}/my-packages`);
      expect(browser.cspViolations).toEqual([]);
      expect(await page.locator("script[src='/assets/copy-buttons.js']").count()).toBe(1);
      expect(await page.locator("script:not([src])").count()).toBe(0);
    });
  });
}
