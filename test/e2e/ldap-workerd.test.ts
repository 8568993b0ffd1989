// LDAP sign-in on the Worker, as `npm start` runs it (wrangler dev + workerd), against Debian's
// slapd: plain LDAP, StartTLS and LDAPS over cloudflare:sockets' connect(). workerd verifies the
// directory's certificate against the CAs in SSL_CERT_FILE (here the test CA, as a company's
// would be a public one on Cloudflare): the right CA signs in, another one is refused with the reason.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SatchelApp } from "../../src/app.ts";
import { PageClient } from "../support/page-client.ts";
import { freePort, startSatchel, type SatchelProcess } from "../support/satchel-process.ts";
import { LDAP_BASE, slapdAvailable, startSlapd, type TlsSlapd } from "../support/slapd.ts";

const hasSlapd = slapdAvailable();

describe.skipIf(!hasSlapd)("workerd: LDAP sign-in against slapd over connect()", () => {
  let slapd: TlsSlapd;
  let satchel: SatchelProcess | undefined;

  beforeAll(async () => {
    slapd = await startSlapd({ tls: true });
  });
  afterEach(async () => {
    await satchel?.stop();
    satchel = undefined;
  });
  afterAll(() => slapd?.close());

  const start = async (url: string, extra: Record<string, string> = {}) => {
    satchel = await startSatchel("workerd", {
      SATCHEL_LDAP_URL: url,
      SATCHEL_LDAP_BIND_DN: `cn=reader,${LDAP_BASE}`,
      SATCHEL_LDAP_BIND_PASSWORD: "reader-secret",
      SATCHEL_LDAP_USER_BASE: `ou=people,${LDAP_BASE}`,
      SATCHEL_LDAP_GROUP_BASE: `ou=groups,${LDAP_BASE}`,
      SATCHEL_LDAP_ALLOW_SIGN_UP: "1",
      SATCHEL_LDAP_REQUIRED_GROUPS: "staff",
      SATCHEL_LDAP_ROLE_MAPPINGS: "devs=ROLE_MAINTAINER",
      SATCHEL_LDAP_TIMEOUT_MS: "3000",
      ...extra,
    });
    const base = satchel.url;
    const admin = await satchel.adminToken();
    const signIn = (username: string, password: string) => fetch(`${base}/api/auth/token`, { method: "POST", body: JSON.stringify({ username, password }) });
    const users = async () => ((await (await fetch(`${base}/api/users`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { users: { username: string; roles: string[] }[] }).users;
    const auditPage = async () => {
      const page = new PageClient({ request: (url: string, init: RequestInit) => fetch(url, { ...init, redirect: "manual" }) } as unknown as SatchelApp, base);
      await page.login("admin", "admin-password");
      return (await page.get("/admin/audit")).body;
    };
    return { signIn, users, auditPage };
  };

  it("plain LDAP: search-then-bind, groups map to roles and restrict sign-in; a wrong password and injections are refused", async () => {
    const { signIn, users, auditPage } = await start(slapd.url);
    const alice = await signIn("alice", "alice-secret");
    expect(alice.status, await alice.clone().text()).toBe(201);
    const { token } = (await alice.json()) as { token: string };
    expect((await fetch(`${satchel?.url}/packages.json`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await signIn("bob", "bob-secret")).status).toBe(201);
    const roles = Object.fromEntries((await users()).map((user) => [user.username, user.roles]));
    expect(roles.alice).toEqual(["ROLE_MAINTAINER"]);
    expect(roles.bob).toEqual(["ROLE_USER"]);
    const before = (await users()).length;
    for (const [username, password] of [["alice", "wrong-secret"], ["carol", "carol-secret"], ["*", "alice-secret"], ["alice)(uid=*", "alice-secret"]]) {
      expect((await signIn(username as string, password as string)).status, `${username} / ${password}`).toBe(401);
    }
    // An empty password never reaches the directory (an anonymous bind would "succeed").
    expect((await signIn("bob", "")).status).toBe(400);
    expect((await users()).length).toBe(before);
    expect(await auditPage()).toContain("sign-in refused");
  });

  it("StartTLS and LDAPS with a certificate workerd trusts: signs in with the groups' role; a wrong password is refused", async () => {
    for (const [url, extra] of [[slapd.url, { SATCHEL_LDAP_START_TLS: "1" }], [slapd.ldapsUrl, {}]] as const) {
      const { signIn, users } = await start(url, { ...extra, SSL_CERT_FILE: slapd.caFile });
      const alice = await signIn("alice", "alice-secret");
      expect(alice.status, `${url}: ${await alice.clone().text()}`).toBe(201);
      expect((await users()).find((user) => user.username === "alice")?.roles, url).toEqual(["ROLE_MAINTAINER"]);
      expect((await signIn("bob", "wrong-secret")).status, url).toBe(401);
      await satchel?.stop();
      satchel = undefined;
    }
  });

  it("a certificate workerd does not trust, or no directory at all: nobody signs in, quickly, and the audit log says why", async () => {
    const untrusted = "The directory cannot be reached, or its TLS certificate is not trusted by the Workers runtime";
    const cases = [
      [slapd.url, { SATCHEL_LDAP_START_TLS: "1", SSL_CERT_FILE: slapd.otherCaFile }, untrusted],
      [slapd.ldapsUrl, { SSL_CERT_FILE: slapd.otherCaFile }, untrusted],
      [`ldap://127.0.0.1:${await freePort()}`, {}, "The directory cannot be reached ("],
    ] as const;
    for (const [url, extra, reason] of cases) {
      const { signIn, users, auditPage } = await start(url, extra);
      const started = Date.now();
      expect((await signIn("alice", "alice-secret")).status, url).toBe(401);
      expect(Date.now() - started, url).toBeLessThan(3000);
      expect((await users()).map((user) => user.username), url).not.toContain("alice");
      expect(await auditPage(), url).toContain(reason);
      await satchel?.stop();
      satchel = undefined;
    }
  });
});
