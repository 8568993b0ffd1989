// Sign-in with GitLab (self-managed, under a relative URL root), Google and Gitea/Forgejo,
// through the generic OpenID Connect path, against local servers answering in each one's
// documented shapes (test/support/oidc-forges.ts): their discovery documents, token answers and
// ID token claims, Gitea's issuer with its trailing slash, GitLab's groups_direct claim.
import { beforeAll, describe, expect, it } from "vitest";
import { FORGE_CLIENTS, forgeIssuer, type Forge } from "../support/oidc-forges.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { unique, type Harness, type HarnessFactory } from "./harness.ts";

const ORIGIN = "https://repo.example.test";

/** `forgesUrl`: the server of test/support/oidc-forges.ts (it runs in Node beside either runtime). */
export function forgeOidcSignInSuite(runtime: string, factory: HarnessFactory, forgesUrl: () => string) {
  describe(`${runtime}: sign-in with GitLab, Google and Gitea/Forgejo in their exact shapes`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let addresses = 0;
    // Suites may share a database (workerd's D1): slugs and names are this run's own.
    const slugs: Record<Forge, string> = { gitlab: unique("gitlab-"), google: unique("google-"), gitea: unique("gitea-") };
    const browser = () => new PageClient(harness.app, ORIGIN, { "cf-connecting-ip": `198.16.${(++addresses >> 8) & 255}.${addresses & 255}` });
    const users = async () => (await client.api<{ users: { username: string; email: string | null; roles: string[] }[] }>(admin, "GET", "/api/users")).users;
    const addProvider = (forge: Forge, settings: Record<string, unknown>) =>
      client.api(admin, "POST", "/api/identity-providers", { slug: slugs[forge], name: forge, issuer: forgeIssuer(forgesUrl(), forge), clientId: FORGE_CLIENTS[forge].id, clientSecret: FORGE_CLIENTS[forge].secret, allowSignUp: true, ...settings });
    /** The person approves at the provider; the browser comes back to the callback. */
    const signIn = async (forge: Forge, claims: Record<string, unknown>) => {
      await fetch(`${forgesUrl()}/_control/next-user`, { method: "POST", body: JSON.stringify({ forge, claims }) });
      const page = browser();
      const started = await page.get(`/login/oidc/${slugs[forge]}`);
      expect(started.status, started.body.slice(0, 300)).toBe(302);
      const authorized = await fetch(started.location ?? "", { redirect: "manual" });
      const back = authorized.headers.get("location") ?? "";
      expect(back.startsWith(`${ORIGIN}/login/oidc/${slugs[forge]}/callback?`), `${authorized.status} ${back}`).toBe(true);
      return { page, landed: await page.get(back.slice(ORIGIN.length)) };
    };

    beforeAll(async () => {
      harness = await factory({ allowInsecureOidcIssuers: true });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("GitLab self-managed: its groups_direct claim maps to roles and restricts sign-in", async () => {
      await addProvider("gitlab", { scopes: "openid profile email", groupsClaim: "groups_direct", requiredGroups: ["acme", "acme/devs"], roleMappings: [{ group: "acme/devs", role: "ROLE_MAINTAINER" }] });
      const gitlabUser = (id: number, username: string, groups: string[]) => ({
        sub: String(id),
        sub_legacy: `${id}`.padStart(64, "a"),
        name: username,
        nickname: username,
        preferred_username: username,
        email: `${username}@acme.test`,
        email_verified: true,
        website: "",
        profile: `https://gitlab.acme.test/${username}`,
        picture: `https://gitlab.acme.test/uploads/-/system/user/avatar/${id}/avatar.png`,
        groups_direct: groups,
      });
      const gina = unique("gina");
      const { landed, page } = await signIn("gitlab", gitlabUser(17, gina, ["acme/devs", "other"]));
      expect(landed.status, landed.body.slice(0, 400)).toBe(200);
      expect((await page.get("/")).body).toContain(gina);
      expect((await users()).find((user) => user.username === gina)).toMatchObject({ email: `${gina}@acme.test`, roles: ["ROLE_MAINTAINER"] });
      const outsider = await signIn("gitlab", gitlabUser(18, unique("otto"), ["other"]));
      expect(outsider.landed.status).toBe(403);
      expect(outsider.landed.body).toContain("in none of the groups");
    });

    it("Google: a verified address in the allowed domain signs up; another domain is refused", async () => {
      await addProvider("google", { scopes: "openid email profile", allowedDomains: ["acme.test"] });
      const googleUser = (sub: string, email: string, hd?: string) => ({ sub, ...(hd ? { hd } : {}), email, email_verified: true, name: "Hana Acme", picture: "https://lh3.googleusercontent.com/a/photo", given_name: "Hana", family_name: "Acme" });
      const hana = unique("hana");
      const { landed } = await signIn("google", googleUser("110248495921238986420", `${hana}@acme.test`, "acme.test"));
      expect(landed.status, landed.body.slice(0, 400)).toBe(200);
      expect((await users()).find((user) => user.email === `${hana}@acme.test`)).toMatchObject({ username: hana, roles: ["ROLE_USER"] });
      const gmail = await signIn("google", googleUser("110248495921238986421", "hana.private@gmail.com"));
      expect(gmail.landed.status).toBe(403);
      expect(gmail.landed.body).toContain("Only verified email addresses at acme.test");
    });

    it("Gitea/Forgejo: its issuer ends with a slash; organizations and teams come in the groups claim", async () => {
      await addProvider("gitea", { scopes: "openid profile email groups", requiredGroups: ["acme"], roleMappings: [{ group: "acme:maintainers", role: "ROLE_MAINTAINER" }] });
      const giteaUser = (id: number, username: string, groups: string[]) => ({
        sub: String(id),
        name: username,
        preferred_username: username,
        profile: `https://gitea.acme.test/${username}`,
        picture: `https://gitea.acme.test/avatars/${id}`,
        website: "",
        locale: "",
        updated_at: 1735689600,
        email: `${username}@acme.test`,
        email_verified: true,
        groups,
      });
      const ivo = unique("ivo");
      const { landed } = await signIn("gitea", giteaUser(5, ivo, ["acme", "acme:maintainers"]));
      expect(landed.status, landed.body.slice(0, 400)).toBe(200);
      expect((await users()).find((user) => user.username === ivo)).toMatchObject({ roles: ["ROLE_MAINTAINER"] });
      const stranger = await signIn("gitea", giteaUser(6, unique("sten"), ["elsewhere"]));
      expect(stranger.landed.status).toBe(403);
    });
  });
}
