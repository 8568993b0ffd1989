// LDAP sign-in against Debian's slapd with a fixture directory (Node; the Worker's is in
// test/e2e/ldap-workerd.test.ts). Search-then-bind and direct bind; groups map to roles and
// restrict sign-in; an injection in the username, an empty password and an unreachable directory
// are refused without a bind as anyone else, and change nobody.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../../src/config.ts";
import { ldapDirectory } from "../../src/identity/ldap-client.ts";
import { Client } from "../contract/client.ts";
import { TEST_CONFIG, bearer } from "../contract/harness.ts";
import { PageClient } from "../support/page-client.ts";
import { freePort } from "../support/satchel-process.ts";
import { LDAP_BASE, slapdAvailable, startSlapd, type Slapd } from "../support/slapd.ts";
import { nodeHarness } from "./node-harness.ts";

const hasSlapd = slapdAvailable();

describe.skipIf(!hasSlapd)("node: LDAP sign-in against slapd", () => {
  let slapd: Slapd;
  let addresses = 0;
  const from = () => ({ "cf-connecting-ip": `198.13.${(++addresses >> 8) & 255}.${addresses & 255}` });
  const settings = (url: string, extra: Partial<NonNullable<AppConfig["ldap"]>> = {}): NonNullable<AppConfig["ldap"]> => ({
    url,
    startTls: false,
    bindDn: `cn=reader,${LDAP_BASE}`,
    bindPassword: "reader-secret",
    userBase: `ou=people,${LDAP_BASE}`,
    userAttribute: "uid",
    groupBase: `ou=groups,${LDAP_BASE}`,
    timeoutMs: 2000,
    allowSignUp: true,
    requiredGroups: ["staff"],
    roleMappings: [{ group: "devs", role: "ROLE_MAINTAINER" }],
    ...extra,
  });
  const app = async (ldap: NonNullable<AppConfig["ldap"]>) => {
    const harness = await nodeHarness({ ldap }, { ldap: ldapDirectory(ldap) });
    const client = new Client(harness.app);
    const admin = await client.adminToken();
    const exchange = (username: string, password: string) => client.request("/api/auth/token", { method: "POST", headers: from(), body: JSON.stringify({ username, password }) });
    const users = async () => (await client.api<{ users: { username: string; roles: string[] }[] }>(admin, "GET", "/api/users")).users;
    return { harness, client, admin, exchange, users };
  };

  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(() => slapd?.close());

  it("signs in with search-then-bind: a new user with the role its groups map to, on the API and the pages", async () => {
    const { exchange, users, client } = await app(settings(slapd.url));
    const response = await exchange("alice", "alice-secret");
    expect(response.status, await response.clone().text()).toBe(201);
    const { token } = (await response.json()) as { token: string };
    expect((await client.request("/packages.json", { headers: bearer(token) })).status).toBe(200);
    expect((await users()).find((user) => user.username === "alice")?.roles).toEqual(["ROLE_MAINTAINER"]);
    const page = new PageClient(client.app, undefined, from());
    expect((await page.login("bob", "bob-secret")).location).toBe("/");
    // The same identity signs in again as the same user.
    expect((await exchange("alice", "alice-secret")).status).toBe(201);
    expect((await users()).filter((user) => user.username.startsWith("alice"))).toHaveLength(1);
  });

  it("binds directly with a DN template", async () => {
    const direct = settings(slapd.url, { bindDn: undefined, bindPassword: undefined, userDn: `uid={username},ou=people,${LDAP_BASE}` });
    const { exchange } = await app(direct);
    expect((await exchange("bob", "bob-secret")).status).toBe(201);
    expect((await exchange("bob", "wrong")).status).toBe(401);
  });

  it("refuses a wrong password, an empty one, injections in the username and an identity outside the groups; nobody is created", async () => {
    const { exchange, users, harness } = await app(settings(slapd.url));
    const before = (await users()).length;
    for (const [username, password] of [["alice", "wrong-secret"], ["carol", "carol-secret"], ["*", "alice-secret"], ["alice)(uid=*", "alice-secret"], ["*)(|(uid=*", "x"], ["alice*", "alice-secret"], ["uid=alice,ou=people", "alice-secret"]]) {
      expect((await exchange(username as string, password as string)).status, `${username} / ${password}`).toBe(401);
    }
    expect((await users()).length).toBe(before);
    // An empty password never reaches the directory: an unauthenticated bind would "succeed".
    const directory = ldapDirectory(settings(slapd.url));
    expect(await directory.authenticate("alice", "")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await directory.authenticate("*", "alice-secret")).toMatchObject({ ok: false, reason: "invalid" });
    const page = new PageClient(harness.app, undefined, from());
    expect((await page.login("alice", "")).status).toBe(401);
    // carol is outside the required groups: refused, and audited.
    const admin = new PageClient(harness.app, undefined, from());
    await admin.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
    expect((await admin.get("/admin/audit")).body).toContain("sign-in refused");
  });

  it("refuses everyone, quickly, when the directory is unreachable", async () => {
    const { exchange, users, harness } = await app(settings(`ldap://127.0.0.1:${await freePort()}`));
    const before = (await users()).length;
    const started = Date.now();
    expect((await exchange("alice", "alice-secret")).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await users()).length).toBe(before);
    const admin = new PageClient(harness.app, undefined, from());
    await admin.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
    expect((await admin.get("/admin/audit")).body).toContain("cannot be reached");
  });
});
