// Sign-in in Debian's Chromium, on both runtimes: through the real oidc-provider's own login
// and consent pages back to Satchel signed in (and a refusal page for an identity the provider's
// settings do not let in); through GitHub's and Bitbucket's OAuth endpoints (local servers in
// their documented shapes); and, on Node, with a directory password against slapd.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BITBUCKET_CLIENT, GITHUB_CLIENT, startForgeOAuth, type GithubOAuth } from "../support/forge-oauth.ts";
import { OIDC_CLIENT, startOidcServer, type OidcServer } from "../support/oidc-server.ts";
import { LDAP_BASE, slapdAvailable, startSlapd, type Slapd } from "../support/slapd.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";
import { chromiumAvailable, openBrowser, screenshot, type Browser } from "./chromium.ts";

const hasChromium = chromiumAvailable();
const hasSlapd = slapdAvailable();

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasChromium)(`${runtime}: sign-in with an OpenID Connect provider in a real browser`, () => {
    let satchel: SatchelProcess;
    let provider: OidcServer;
    let forge: GithubOAuth;
    let slapd: Slapd | undefined;
    let browser: Browser;
    const shot = (name: string) => `${runtime}-oidc-${name}`;

    beforeAll(async () => {
      slapd = hasSlapd ? await startSlapd() : undefined;
      const ldap: Record<string, string> = slapd
        ? { SATCHEL_LDAP_URL: slapd.url, SATCHEL_LDAP_BIND_DN: `cn=reader,${LDAP_BASE}`, SATCHEL_LDAP_BIND_PASSWORD: "reader-secret", SATCHEL_LDAP_USER_BASE: `ou=people,${LDAP_BASE}`, SATCHEL_LDAP_GROUP_BASE: `ou=groups,${LDAP_BASE}`, SATCHEL_LDAP_ALLOW_SIGN_UP: "1", SATCHEL_LDAP_ROLE_MAPPINGS: "devs=ROLE_MAINTAINER" }
        : {};
      satchel = await startSatchel(runtime, { SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS: "1", ...ldap });
      forge = await startForgeOAuth();
      provider = await startOidcServer([satchel.url]);
      const admin = await satchel.adminToken();
      const add = async (settings: Record<string, unknown>) => {
        const body = { name: "Acme SSO", issuer: provider.issuer, clientId: OIDC_CLIENT.id, clientSecret: OIDC_CLIENT.secret, scopes: "openid email profile groups", ...settings };
        const response = await fetch(`${satchel.url}/api/identity-providers`, { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
        expect(response.status, await response.clone().text()).toBe(201);
      };
      await add({ slug: "acme", allowSignUp: true, roleMappings: [{ group: "acme-devs", role: "ROLE_MAINTAINER" }] });
      await add({ slug: "acme-link", name: "Partner SSO", allowSignUp: false });
      await add({ kind: "github", slug: "github", name: "GitHub", issuer: forge.url, clientId: GITHUB_CLIENT.id, clientSecret: GITHUB_CLIENT.secret, scopes: undefined, allowSignUp: true, roleMappings: [{ group: "acme", role: "ROLE_MAINTAINER" }] });
      await add({ kind: "bitbucket", slug: "bitbucket", name: "Bitbucket", issuer: forge.url, clientId: BITBUCKET_CLIENT.id, clientSecret: BITBUCKET_CLIENT.secret, scopes: undefined, allowSignUp: true });
      browser = await openBrowser();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await provider?.close();
      await forge?.close();
      await slapd?.close();
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

    for (const [button, login] of [["#sign-in-github", "octocat"], ["#sign-in-bitbucket", "bb-person"]]) {
      it(`signs in with ${button.slice(9)} (its OAuth endpoints approve at once)`, async () => {
        await fetch(`${forge.url}/_control/next-user`, { method: "POST", body: JSON.stringify({ id: login.length, login, emails: [{ email: `${login}@acme.test`, primary: true, verified: true }], orgs: ["acme"] }) });
        const person = await browser.newPerson();
        await person.page.goto(`${satchel.url}/login`);
        await Promise.all([person.page.waitForURL(`${satchel.url}/`), person.page.click(button)]);
        expect(await person.page.textContent("body")).toContain(login);
        await person.close();
      });
    }

    it.skipIf(!hasSlapd)("signs in with a directory password (LDAP) on the login form", async () => {
      const person = await browser.newPerson();
      await person.page.goto(`${satchel.url}/login`);
      await person.page.fill("#username", "alice");
      await person.page.fill("#password", "alice-secret");
      await Promise.all([person.page.waitForURL(`${satchel.url}/`), person.page.click("form[action='/login'] button[type=submit]")]);
      expect(await person.page.textContent("h1")).toBe("Dashboard");
      await screenshot(person.page, shot("ldap-signed-in"));
      await person.close();
    });
  });
}
