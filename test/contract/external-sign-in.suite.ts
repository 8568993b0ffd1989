// Sign-in with an OpenID Connect provider: a real certified provider (npm `oidc-provider`, its
// own login and consent pages) for the flows, and a scriptable issuer (test/support/ci-issuer.ts)
// for ID tokens no honest provider sends. Every failure is a clear page and changes nobody.
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, identityProviders } from "../../src/db/schema.ts";
import { BITBUCKET_CLIENT, GITHUB_CLIENT, type GithubUser } from "../support/forge-oauth.ts";
import { OIDC_CLIENT } from "../support/oidc-server.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { bearer, json, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

export interface SignInProviders {
  /** The real OpenID Provider. */
  oidcIssuer: string;
  /** The scriptable issuer server (its `github` and `keyless` issuers). */
  ciIssuer: string;
  /** GitHub's OAuth endpoints and REST API (test/support/github-oauth.ts). */
  github: string;
}

const ORIGIN = "https://repo.example.test";

/** The provider's side, as a browser would go through it: its login page, then its consent page. */
async function throughProvider(authorizeUrl: string, account: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method: form ? "POST" : "GET",
      body: form,
      redirect: "manual",
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; "), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
    const location = response.headers.get("location");
    form = undefined;
    if (location) {
      url = new URL(location, url).toString();
      if (url.startsWith(`${ORIGIN}/`)) return url;
      await response.body?.cancel();
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`provider page without a form (${response.status}): ${page.slice(0, 300)}`);
    url = new URL(action, url).toString();
    form = new URLSearchParams(page.includes('name="login"') ? { prompt: "login", login: account, password: "any" } : { prompt: "consent" });
  }
  throw new Error("the provider never sent the browser back");
}

export function externalSignInSuite(runtime: string, factory: HarnessFactory, providers: () => SignInProviders) {
  describe(`${runtime}: sign-in with an OpenID Connect provider, GitHub or Bitbucket`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let addresses = 0;
    const browser = () => new PageClient(harness.app, ORIGIN, { "cf-connecting-ip": `198.15.${(++addresses >> 8) & 255}.${addresses & 255}` });
    const addProvider = (settings: Record<string, unknown>) =>
      client.api<{ id: number }>(admin, "POST", "/api/identity-providers", { name: "Acme SSO", issuer: providers().oidcIssuer, clientId: OIDC_CLIENT.id, clientSecret: OIDC_CLIENT.secret, ...settings });
    const userNames = async () => (await client.api<{ users: { username: string; roles: string[]; groups: number[] }[] }>(admin, "GET", "/api/users")).users;
    /** Starts at /login/oidc/{slug}, goes through the provider as `account`, lands on the callback. */
    const signIn = async (page: PageClient, slug: string, account: string) => {
      const started = await page.get(`/login/oidc/${slug}`);
      expect(started.status, started.body.slice(0, 300)).toBe(302);
      const callback = await throughProvider(started.location ?? "", account);
      return { callback, landed: await page.get(callback.slice(ORIGIN.length)) };
    };

    beforeAll(async () => {
      harness = await factory({ allowInsecureOidcIssuers: true });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("is configured by admins; the client secret is sealed at rest and never shown back", async () => {
      const created = await addProvider({ slug: "acme", allowSignUp: false });
      const listed = await client.request("/api/identity-providers", { headers: bearer(admin) });
      const text = await listed.text();
      expect(text).toContain('"slug":"acme"');
      expect(text).not.toContain(OIDC_CLIENT.secret);
      const rows = await harness.app.services.db.orm.select().from(identityProviders).all();
      expect(rows.find((row) => row.id === created.id)?.clientSecretEnc).toMatch(/^v2\.[0-9a-f]{12}\./);
      expect((await client.request(`/api/identity-providers/${created.id}`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ name: "Acme" }) })).status).toBe(200);
      const customer = await client.customer(admin);
      expect((await client.request("/api/identity-providers", { headers: bearer(customer.token) })).status).toBe(403);
      const bad: Record<string, unknown>[] = [
        { slug: "Bad Slug" },
        { slug: unique("p"), issuer: "ftp://issuer.example" },
        { slug: unique("p"), scopes: "email" },
        { slug: unique("p"), roleMappings: [{ group: "x", role: "ROLE_ROOT" }] },
        { slug: unique("p"), allowedDomains: ["not a domain"] },
        { slug: unique("p"), clientSecret: "" },
        { slug: "acme" },
      ];
      for (const body of bad) expect((await client.request("/api/identity-providers", { method: "POST", headers: bearer(admin), body: JSON.stringify({ name: "x", issuer: providers().oidcIssuer, clientId: "c", clientSecret: "s", ...body }) })).status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      // The login page offers it.
      expect((await browser().get("/login")).body).toContain('href="/login/oidc/acme"');

      // The admin page: add one, see the redirect URI to register, never the secret; delete it.
      const page = browser();
      await page.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
      await page.get("/admin/identity-providers");
      const form = { name: "Page SSO", slug: "page-sso", issuer: providers().oidcIssuer, clientId: "page-client", clientSecret: "page-secret-value", allowSignUp: "1", allowedDomains: "acme.test", roleMappings: "acme-devs=ROLE_MAINTAINER" };
      expect((await page.post("/admin/identity-providers", form)).location).toBe("/admin/identity-providers");
      const shown = await page.get("/admin/identity-providers");
      expect(shown.body).toContain(`${ORIGIN}/login/oidc/page-sso/callback`);
      expect(shown.body).toContain("acme-devs → ROLE_MAINTAINER");
      expect(shown.body).not.toContain("page-secret-value");
      await page.post("/admin/identity-providers", form);
      expect((await page.get("/admin/identity-providers")).body).toContain("is taken");
      const id = (await client.api<{ identityProviders: { id: number; slug: string }[] }>(admin, "GET", "/api/identity-providers")).identityProviders.find((p) => p.slug === "page-sso")?.id;
      await page.get("/admin/identity-providers");
      await page.post(`/admin/identity-providers/${id}/delete`, {});
      expect((await client.request(`/api/identity-providers/${id}`, { headers: bearer(admin) })).status).toBe(404);
      const customerPage = browser();
      await customerPage.login(customer.username, customer.password);
      expect((await customerPage.get("/admin/identity-providers")).status).toBe(403);
    });

    it("creates the provider named in the environment (SATCHEL_OIDC_*) at the first start, once", async () => {
      const { readConfig } = await import("../../src/config.ts");
      const env = { SATCHEL_OIDC_ISSUER: providers().oidcIssuer, SATCHEL_OIDC_CLIENT_ID: OIDC_CLIENT.id, SATCHEL_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret, SATCHEL_OIDC_SLUG: "acme-env", SATCHEL_OIDC_NAME: "Env SSO", SATCHEL_OIDC_ALLOW_SIGN_UP: "1", SATCHEL_OIDC_ROLE_MAPPINGS: "acme-devs=ROLE_MAINTAINER", SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS: "1" };
      const fromEnv = readConfig(env, TEST_CONFIG).identityProvider;
      const seeded = await factory({ allowInsecureOidcIssuers: true, identityProvider: fromEnv });
      const seededClient = new Client(seeded.app);
      const token = await seededClient.adminToken();
      await new Client(seeded.sibling()).adminToken();
      const listed = await seededClient.api<{ identityProviders: { slug: string; name: string; allowSignUp: boolean; roleMappings: unknown[] }[] }>(token, "GET", "/api/identity-providers");
      expect(listed.identityProviders.filter((provider) => provider.slug === "acme-env")).toEqual([expect.objectContaining({ name: "Env SSO", allowSignUp: true, roleMappings: [{ group: "acme-devs", role: "ROLE_MAINTAINER" }] })]);
    });

    it("signs up a new identity where the provider allows it, with its groups mapped to a role and to Satchel groups", async () => {
      const [devs, staff] = [await client.group(admin, [{ name: "acme/*" }]), await client.group(admin, [{ name: "acme/lib" }])];
      const groupMappings = [{ group: "acme-devs", groupId: devs }, { group: "staff", groupId: staff }];
      await addProvider({ slug: "acme-signup", allowSignUp: true, scopes: "openid email profile groups", roleMappings: [{ group: "acme-devs", role: "ROLE_MAINTAINER" }], groupMappings });
      const page = browser();
      const { landed } = await signIn(page, "acme-signup", "dora~acme.test~acme-devs,staff");
      expect(landed.status, landed.body.slice(0, 400)).toBe(200);
      expect(landed.body).toContain("You are signed in");
      const home = await page.get("/");
      expect(home.status).toBe(200);
      expect(home.body).toContain("dora");
      expect((await userNames()).find((user) => user.username === "dora")).toMatchObject({ roles: ["ROLE_MAINTAINER"], groups: [devs, staff].sort((a, b) => a - b) });
      // The provider's groups change: the next sign-in follows (role and groups).
      await fetch(`${providers().oidcIssuer}/_control/groups`, { method: "POST", body: JSON.stringify({ name: "dora", groups: ["staff"] }) });
      expect((await signIn(browser(), "acme-signup", "dora~acme.test~acme-devs,staff")).landed.status).toBe(200);
      expect((await userNames()).find((user) => user.username === "dora")).toMatchObject({ roles: ["ROLE_USER"], groups: [staff] });
    });

    it("refuses an unknown identity where sign-up is off, and an identity outside the restriction; audited, nobody created", async () => {
      await addProvider({ slug: "acme-domains", allowSignUp: true, allowedDomains: ["acme.test"] });
      await addProvider({ slug: "acme-groups", allowSignUp: true, scopes: "openid email profile groups", requiredGroups: ["acme-devs"] });
      const before = (await userNames()).length;
      const cases: [string, string, string][] = [
        ["acme", "stranger~acme.test", "No Satchel account is linked"],
        ["acme-domains", "mallory~evil.test", "Only verified email addresses at acme.test"],
        ["acme-groups", "frank~acme.test~sales", "in none of the groups"],
      ];
      for (const [slug, account, message] of cases) {
        const { landed } = await signIn(browser(), slug, account);
        expect(landed.status, slug).toBe(403);
        expect(landed.body).toContain(message);
      }
      expect((await userNames()).length).toBe(before);
      // The group that is allowed does sign in.
      expect((await signIn(browser(), "acme-groups", "hana~acme.test~acme-devs")).landed.status).toBe(200);
      // Audited (read from the log itself: suites sharing a database write rows at other clocks).
      const refusals = await harness.app.services.db.orm.select().from(auditLog).where(eq(auditLog.action, "sign-in refused")).all();
      expect(refusals.map((row) => row.details?.email)).toContain("mallory@evil.test");
    });

    it("restricts sign-in by a claim expression: checked when saved (422 with the position), evaluated at sign-in, refusals audited", async () => {
      const saved = await client.request("/api/identity-providers", {
        method: "POST",
        headers: bearer(admin),
        body: JSON.stringify({ name: "x", slug: unique("p"), issuer: providers().oidcIssuer, clientId: "c", clientSecret: "s", loginExpression: `"acme-devs" in groups and email ends` }),
      });
      expect(saved.status).toBe(422);
      expect(await saved.json()).toEqual({ error: { code: "invalid_login_expression", message: '"loginExpression": Expected "with" after "ends" at character 37.' } });
      const rule = `"acme-devs" in groups and lower(email) ends with "@acme.test"`;
      const created = await addProvider({ slug: "acme-rule", allowSignUp: true, scopes: "openid email profile groups", loginExpression: rule });
      expect((await client.api<{ loginExpression: string }>(admin, "GET", `/api/identity-providers/${created.id}`)).loginExpression).toBe(rule);
      const broken = await client.request(`/api/identity-providers/${created.id}`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ loginExpression: "email == 'open" }) });
      expect(broken.status).toBe(422);
      expect((await client.api<{ loginExpression: string }>(admin, "GET", `/api/identity-providers/${created.id}`)).loginExpression).toBe(rule);

      const before = (await userNames()).length;
      for (const account of ["ivan~acme.test~sales", "judy~evil.test~acme-devs"]) {
        const { landed } = await signIn(browser(), "acme-rule", account);
        expect(landed.status, account).toBe(403);
        expect(landed.body).toContain("does not meet this provider&#39;s sign-in rule");
      }
      expect((await userNames()).length).toBe(before);
      expect((await signIn(browser(), "acme-rule", "kate~acme.test~acme-devs")).landed.status).toBe(200);
      const refusals = await harness.app.services.db.orm.select().from(auditLog).where(eq(auditLog.action, "sign-in refused")).all();
      expect(refusals.filter((row) => row.target === "acme-rule").map((row) => row.details?.email).sort()).toEqual(["ivan@acme.test", "judy@evil.test"]);

      // The admin page takes the rule too, and says where a broken one breaks.
      const page = browser();
      await page.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
      await page.get("/admin/identity-providers");
      const form = { name: "Rule SSO", slug: "rule-page", issuer: providers().oidcIssuer, clientId: "c", clientSecret: "s", loginExpression: "groups contains" };
      await page.post("/admin/identity-providers", form);
      expect((await page.get("/admin/identity-providers")).body).toContain("Expected a value but found the end of the expression at character 16");
      await page.post("/admin/identity-providers", { ...form, loginExpression: `"staff" in groups` });
      expect((await page.get("/admin/identity-providers")).body).toContain("&quot;staff&quot; in groups");
    });

    it("links a provider identity to a signed-in user, who then signs in with it", async () => {
      await addProvider({ slug: "acme-link", allowSignUp: false });
      const erin = await client.customer(admin);
      const page = browser();
      await page.login(erin.username, erin.password);
      await page.get("/account/identities");
      const started = await page.post("/account/identities/acme-link/link", {});
      expect(started.status).toBe(302);
      const linked = await page.get((await throughProvider(started.location ?? "", "erin-at-idp~example.test")).slice(ORIGIN.length));
      expect(linked.body).toContain("is linked");
      const fresh = browser();
      const { landed } = await signIn(fresh, "acme-link", "erin-at-idp~example.test");
      expect(landed.status).toBe(200);
      expect((await fresh.get("/account")).body).toContain(erin.username);
      // Linking needs the session's CSRF token.
      expect((await page.post("/account/identities/acme-link/link", {}, { csrf: "forged" })).status).not.toBe(302);
    });

    it("turns password sign-in off for one user, or for everyone; provider sign-in goes on", async () => {
      await addProvider({ slug: "acme-nonce", allowSignUp: false });
      const ivan = await client.customer(admin);
      const page = browser();
      await page.login(ivan.username, ivan.password);
      await page.get("/account/identities");
      const started = await page.post("/account/identities/acme-nonce/link", {});
      await page.get((await throughProvider(started.location ?? "", "ivan-idp~example.test")).slice(ORIGIN.length));
      await client.api(admin, "PUT", `/api/users/${ivan.id}`, { passwordSignIn: false });
      const exchange = (username: string, password: string) => client.request("/api/auth/token", { method: "POST", headers: { "cf-connecting-ip": `198.14.0.${++addresses & 255}` }, body: JSON.stringify({ username, password }) });
      const refused = await exchange(ivan.username, ivan.password);
      expect(refused.status).toBe(403);
      expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("password_sign_in_off");
      // A wrong password learns nothing more than before.
      expect((await exchange(ivan.username, "wrong-password")).status).toBe(401);
      const pageLogin = await browser().login(ivan.username, ivan.password);
      expect(pageLogin.status).toBe(403);
      expect(pageLogin.body).toContain("Password sign-in is turned off for this account");
      expect((await signIn(browser(), "acme-nonce", "ivan-idp~example.test")).landed.status).toBe(200);

      const everyone = await factory({ allowInsecureOidcIssuers: true, passwordSignIn: false });
      const off = await everyone.app.request(`${ORIGIN}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: TEST_CONFIG.adminUser, password: TEST_CONFIG.adminPassword }) });
      expect(off.status).toBe(403);
      expect(await off.text()).toContain("turned off here");
    });

    it("refuses a wrong state, a replayed code and a callback nobody started; nobody is created", async () => {
      await addProvider({ slug: "acme-replay", allowSignUp: true });
      const before = (await userNames()).length;
      const page = browser();
      const started = await page.get("/login/oidc/acme-replay");
      const callback = await throughProvider(started.location ?? "", "gina~acme.test");
      const tampered = callback.replace(/state=[^&]+/, "state=forged");
      const wrongState = await page.get(tampered.slice(ORIGIN.length));
      expect(wrongState.status).toBe(400);
      expect(wrongState.body).toContain("state does not match");
      // The pending sign-in is used up: the right state now finds nothing to match.
      expect((await page.get(callback.slice(ORIGIN.length))).status).toBe(400);
      const ok = await signIn(browser(), "acme-replay", "gina~acme.test");
      expect(ok.landed.status).toBe(200);
      const replay = browser();
      const again = await replay.get("/login/oidc/acme-replay");
      const state = new URL(again.location ?? "").searchParams.get("state");
      const code = new URL(ok.callback).searchParams.get("code");
      const replayed = await replay.get(`/login/oidc/acme-replay/callback?code=${code}&state=${state}`);
      expect(replayed.status).toBe(400);
      expect(replayed.body).toContain("refused the authorization code");
      expect((await browser().get(`/login/oidc/acme-replay/callback?code=${code}&state=${state}`)).status).toBe(400);
      expect((await userNames()).length).toBe(before + 1);
    });

    it("refuses ID tokens with a bad nonce, another audience, an expiry passed, no signature or a foreign key, and unreachable keys", async () => {
      const fakeIssuer = `${providers().ciIssuer}/github`;
      await client.api(admin, "POST", "/api/identity-providers", { slug: "scripted", name: "Scripted", issuer: fakeIssuer, clientId: "satchel-scripted", clientSecret: "s", allowSignUp: true });
      await client.api(admin, "POST", "/api/identity-providers", { slug: "keyless", name: "Keyless", issuer: `${providers().ciIssuer}/keyless`, clientId: "satchel-scripted", clientSecret: "s", allowSignUp: true });
      const before = (await userNames()).length;
      const now = Math.floor(harness.clock.now / 1000);
      const attempt = async (slug: string, issuer: string, claims: (nonce: string) => Record<string, unknown>, forge?: string) => {
        const page = browser();
        const started = new URL((await page.get(`/login/oidc/${slug}`)).location ?? "");
        const nonce = started.searchParams.get("nonce") ?? "";
        expect(started.searchParams.get("code_challenge_method")).toBe("S256");
        await fetch(`${providers().ciIssuer}/_control/id-token`, { method: "POST", body: JSON.stringify({ issuer, claims: claims(nonce), forge }) });
        return page.get(`/login/oidc/${slug}/callback?code=anything&state=${started.searchParams.get("state")}`);
      };
      const good = (nonce: string) => ({ sub: unique("sub"), aud: "satchel-scripted", nonce, iat: now, exp: now + 300, email: "x@example.test", email_verified: true });
      const cases: [string, (nonce: string) => Record<string, unknown>, string | undefined, string][] = [
        ["a bad nonce", (nonce) => ({ ...good(nonce), nonce: `${nonce}x` }), undefined, "nonce does not match"],
        ["another audience", (nonce) => ({ ...good(nonce), aud: "someone-else" }), undefined, "not valid"],
        ["an expired token", (nonce) => ({ ...good(nonce), iat: now - 600, exp: now - 1 }), undefined, "expired"],
        ["alg none", good, "none", "not valid"],
        ["a key the provider does not publish", good, "unlisted-key", "not valid"],
        ["no nonce", (nonce) => ({ ...good(nonce), nonce: undefined }), undefined, "not valid"],
      ];
      for (const [what, claims, forge, message] of cases) {
        const answer = await attempt("scripted", "github", claims, forge);
        expect(answer.status, what).toBe(400);
        expect(answer.body, what).toContain(message);
      }
      const unreachable = await attempt("keyless", "keyless", good);
      expect(unreachable.status).toBe(400);
      expect(unreachable.body).toContain("signing keys cannot be read");
      expect((await userNames()).length).toBe(before);
      // The same path with an honest token signs in.
      expect((await attempt("scripted", "github", good)).status).toBe(200);
      expect((await userNames()).length).toBe(before + 1);
    });

    it("signs in with GitHub (OAuth 2 + REST API): organizations restrict sign-in and map to roles; a used code is refused", async () => {
      await client.api(admin, "POST", "/api/identity-providers", {
        kind: "github", slug: "github", name: "GitHub", issuer: providers().github, clientId: GITHUB_CLIENT.id, clientSecret: GITHUB_CLIENT.secret,
        allowSignUp: true, requiredGroups: ["acme", "acme-partners"], roleMappings: [{ group: "acme", role: "ROLE_MAINTAINER" }],
      });
      const viaGithub = async (user: GithubUser, page = browser()) => {
        await fetch(`${providers().github}/_control/next-user`, { method: "POST", body: JSON.stringify(user) });
        const started = await page.get("/login/oidc/github");
        expect(new URL(started.location ?? "").searchParams.get("code_challenge_method")).toBe("S256");
        const approved = await fetch(started.location ?? "", { redirect: "manual" });
        const callback = approved.headers.get("location") ?? "";
        return { page, callback, landed: await page.get(callback.slice(ORIGIN.length)) };
      };
      // Changing a GitHub provider's scopes is checked against its kind (GitHub has no "openid").
      const github = (await client.api<{ identityProviders: { id: number; slug: string }[] }>(admin, "GET", "/api/identity-providers")).identityProviders.find((p) => p.slug === "github");
      expect((await client.request(`/api/identity-providers/${github?.id}`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ scopes: "read:user user:email read:org" }) })).status).toBe(200);
      const octo = { id: 583231, login: "octocat", emails: [{ email: "octocat@acme.test", primary: true, verified: true }], orgs: ["acme"] };
      const first = await viaGithub(octo);
      expect(first.landed.status, first.landed.body.slice(0, 300)).toBe(200);
      expect((await userNames()).find((user) => user.username === "octocat")?.roles).toEqual(["ROLE_MAINTAINER"]);
      // Outside every allowed organization: refused, nobody created.
      const before = (await userNames()).length;
      const outsider = await viaGithub({ id: 9, login: "outsider", emails: [{ email: "o@example.test", primary: true, verified: true }], orgs: ["elsewhere"] });
      expect(outsider.landed.status).toBe(403);
      expect(outsider.landed.body).toContain("in none of the groups");
      expect((await userNames()).length).toBe(before);
      // The code of the first sign-in, presented again with a fresh state.
      const replay = browser();
      const again = new URL((await replay.get("/login/oidc/github")).location ?? "");
      const code = new URL(first.callback).searchParams.get("code");
      const replayed = await replay.get(`/login/oidc/github/callback?code=${code}&state=${again.searchParams.get("state")}`);
      expect(replayed.status).toBe(400);
      expect(replayed.body).toContain("bad_verification_code");
      // A partner org signs in with the default role.
      expect((await viaGithub({ id: 10, login: "partner", emails: [], orgs: ["acme-partners"] })).landed.status).toBe(200);
      expect((await userNames()).find((user) => user.username === "partner")?.roles).toEqual(["ROLE_USER"]);
    });

    it("signs in with Bitbucket Cloud (OAuth 2 + REST API 2.0): workspaces restrict sign-in and map to roles", async () => {
      await client.api(admin, "POST", "/api/identity-providers", {
        kind: "bitbucket", slug: "bitbucket", name: "Bitbucket", issuer: providers().github, clientId: BITBUCKET_CLIENT.id, clientSecret: BITBUCKET_CLIENT.secret,
        allowSignUp: true, allowedDomains: ["acme.test"], requiredGroups: ["acme"], roleMappings: [{ group: "acme", role: "ROLE_FULL_CUSTOMER" }],
      });
      const viaBitbucket = async (user: GithubUser) => {
        await fetch(`${providers().github}/_control/next-user`, { method: "POST", body: JSON.stringify(user) });
        const page = browser();
        const started = await page.get("/login/oidc/bitbucket");
        const approved = await fetch(started.location ?? "", { redirect: "manual" });
        return page.get((approved.headers.get("location") ?? "").slice(ORIGIN.length));
      };
      const ok = await viaBitbucket({ id: 77, login: "bb-user", emails: [{ email: "bb@acme.test", primary: true, verified: true }], orgs: ["acme"] });
      expect(ok.status, ok.body.slice(0, 300)).toBe(200);
      expect((await userNames()).find((user) => user.username === "bb-user")?.roles).toEqual(["ROLE_FULL_CUSTOMER"]);
      const before = (await userNames()).length;
      // An unconfirmed email is no email: outside the domain restriction.
      const unconfirmed = await viaBitbucket({ id: 78, login: "bb-unconfirmed", emails: [{ email: "x@acme.test", primary: true, verified: false }], orgs: ["acme"] });
      expect(unconfirmed.status).toBe(403);
      expect((await userNames()).length).toBe(before);
    });
  });
}
