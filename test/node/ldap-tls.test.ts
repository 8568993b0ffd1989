// LDAP sign-in over TLS against Debian's slapd with a certificate from a CA made for the test:
// LDAPS and StartTLS verify the certificate by default; the configured CA file is accepted; a
// wrong CA, or none (the system's CAs do not know this one), is refused with a clear reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../../src/config.ts";
import { ldapDirectory } from "../../src/identity/ldap-client.ts";
import { Client } from "../contract/client.ts";
import { TEST_CONFIG } from "../contract/harness.ts";
import { PageClient } from "../support/page-client.ts";
import { LDAP_BASE, slapdAvailable, startSlapd, type TlsSlapd } from "../support/slapd.ts";
import { nodeHarness } from "./node-harness.ts";

const hasSlapd = slapdAvailable();

describe.skipIf(!hasSlapd)("node: LDAP sign-in over LDAPS and StartTLS", () => {
  let slapd: TlsSlapd;
  let addresses = 0;
  const from = () => ({ "cf-connecting-ip": `198.14.${(++addresses >> 8) & 255}.${addresses & 255}` });
  const settings = (url: string, extra: Partial<NonNullable<AppConfig["ldap"]>>): NonNullable<AppConfig["ldap"]> => ({
    url,
    startTls: false,
    bindDn: `cn=reader,${LDAP_BASE}`,
    bindPassword: "reader-secret",
    userBase: `ou=people,${LDAP_BASE}`,
    userAttribute: "uid",
    groupBase: `ou=groups,${LDAP_BASE}`,
    timeoutMs: 3000,
    allowSignUp: true,
    requiredGroups: [],
    roleMappings: [],
    ...extra,
  });

  beforeAll(async () => {
    slapd = await startSlapd({ tls: true });
  });
  afterAll(() => slapd?.close());

  it("signs in over LDAPS and over StartTLS with the configured CA", async () => {
    for (const ldap of [settings(slapd.ldapsUrl, { caFile: slapd.caFile }), settings(slapd.url, { startTls: true, caFile: slapd.caFile })]) {
      const outcome = await ldapDirectory(ldap).authenticate("alice", "alice-secret");
      expect(outcome, ldap.url).toMatchObject({ ok: true, claims: { preferred_username: "alice", email: "alice@acme.test", groups: ["devs", "staff"] } });
      expect(await ldapDirectory(ldap).authenticate("alice", "wrong-secret")).toMatchObject({ ok: false, reason: "invalid" });
    }
  });

  it("verifies the certificate by default: without the CA, or with another one, nobody signs in and the reason says why", async () => {
    const cases = [
      settings(slapd.ldapsUrl, {}),
      settings(slapd.ldapsUrl, { caFile: slapd.otherCaFile }),
      settings(slapd.url, { startTls: true }),
      settings(slapd.url, { startTls: true, caFile: slapd.otherCaFile }),
    ];
    for (const ldap of cases) {
      const outcome = await ldapDirectory(ldap).authenticate("alice", "alice-secret");
      expect(outcome, `${ldap.url} ${ldap.caFile ?? "no CA"}`).toMatchObject({ ok: false, reason: "unreachable" });
      expect((outcome as { message: string }).message).toMatch(/TLS certificate is not trusted \(.*\): give the CA that signed it in SATCHEL_LDAP_CA_FILE/);
    }

    // Through the app: a 401 for the person, the reason in the audit log for the admin, nobody created.
    const ldap = settings(slapd.ldapsUrl, { caFile: slapd.otherCaFile });
    const harness = await nodeHarness({ ldap }, { ldap: ldapDirectory(ldap) });
    const client = new Client(harness.app);
    const admin = await client.adminToken();
    const refused = await client.request("/api/auth/token", { method: "POST", headers: from(), body: JSON.stringify({ username: "alice", password: "alice-secret" }) });
    expect(refused.status).toBe(401);
    expect((await client.api<{ users: { username: string }[] }>(admin, "GET", "/api/users")).users.map((user) => user.username)).not.toContain("alice");
    const page = new PageClient(harness.app, undefined, from());
    await page.login(TEST_CONFIG.adminUser as string, TEST_CONFIG.adminPassword as string);
    expect((await page.get("/admin/audit")).body).toContain("TLS certificate is not trusted");
  });

  it("stops at start with the reason when the CA file is missing", () => {
    expect(() => ldapDirectory(settings(slapd.ldapsUrl, { caFile: "/nonexistent/ca.pem" }))).toThrow(/ENOENT.*\/nonexistent\/ca\.pem/);
  });
});
