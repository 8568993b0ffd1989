// Sign-in with an OpenID Connect provider in Debian's Chromium, on both runtimes: the real
// oidc-provider's own login and consent pages, back to Satchel signed in (and a refusal page for
// an identity the provider's settings do not let in).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OIDC_CLIENT, startOidcServer, type OidcServer } from "../support/oidc-server.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";
import { chromiumAvailable, openBrowser, screenshot, type Browser } from "./chromium.ts";

const hasChromium = chromiumAvailable();

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasChromium)(`${runtime}: sign-in with an OpenID Connect provider in a real browser`, () => {
    let satchel: SatchelProcess;
    let provider: OidcServer;
    let browser: Browser;
    const shot = (name: string) => `${runtime}-oidc-${name}`;

    beforeAll(async () => {
      satchel = await startSatchel(runtime, { SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS: "1" });
      provider = await startOidcServer([satchel.url]);
      const admin = await satchel.adminToken();
      const add = async (settings: Record<string, unknown>) => {
        const body = { name: "Acme SSO", issuer: provider.issuer, clientId: OIDC_CLIENT.id, clientSecret: OIDC_CLIENT.secret, scopes: "openid email profile groups", ...settings };
        const response = await fetch(`${satchel.url}/api/identity-providers`, { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
        expect(response.status, await response.clone().text()).toBe(201);
      };
      await add({ slug: "acme", allowSignUp: true, roleMappings: [{ group: "acme-devs", role: "ROLE_MAINTAINER" }] });
      await add({ slug: "acme-link", name: "Partner SSO", allowSignUp: false });
      browser = await openBrowser();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await provider?.close();
      await satchel?.stop("SIGTERM");
    });

    /** From Satchel's login page through the provider's login and consent pages. */
    async function throughProvider(page: Browser["page"], button: string, account: string) {
      await page.goto(`${satchel.url}/login`);
      await Promise.all([page.waitForURL(`${provider.issuer}/**`), page.click(button)]);
      await page.fill("input[name=login]", account);
      await page.fill("input[name=password]", "any password");
      await screenshot(page, shot("provider-login"));
      await Promise.all([page.waitForLoadState(), page.click("button[type=submit]")]);
      await screenshot(page, shot("provider-consent"));
      await page.click("button[type=submit]");
    }

    it("signs up through the provider's login and consent pages, with the groups' role", async () => {
      const { page } = browser;
      await throughProvider(page, "#sign-in-acme", "dora~acme.test~acme-devs");
      await page.waitForURL(`${satchel.url}/`);
      expect(await page.textContent("h1")).toBe("Dashboard");
      await screenshot(page, shot("signed-in"));
      expect(browser.cspViolations.filter((line) => line.startsWith(satchel.url))).toEqual([]);
    });

    it("shows a clear page to an identity that has no account where sign-up is off", async () => {
      const person = await browser.newPerson();
      await throughProvider(person.page, "#sign-in-acme-link", "stranger~acme.test");
      await person.page.waitForURL(`${satchel.url}/login/oidc/acme-link/callback**`);
      expect(await person.page.textContent("h1")).toBe("Sign-in failed");
      expect(await person.page.textContent("[role=alert]")).toContain("No Satchel account is linked");
      await screenshot(person.page, shot("refused"));
      await person.close();
    });
  });
}
