// The Worker's LDAP port refuses a CA file at start: Workers have no file to read it from and
// verify certificates against the runtime's CAs only (sign-in itself: test/e2e/ldap-workerd.test.ts).
import { describe, expect, it } from "vitest";
import { workersLdapDirectory } from "../../src/identity/ldap-sockets.ts";

describe("workerd: the LDAP port's settings", () => {
  const settings = { url: "ldaps://ldap.example.test", startTls: false, userDn: "uid={username},ou=people,dc=example,dc=test", userAttribute: "uid", timeoutMs: 1000 };

  it("stops with the reason when SATCHEL_LDAP_CA_FILE is set", () => {
    expect(() => workersLdapDirectory({ ...settings, caFile: "/etc/ssl/acme-ca.pem" })).toThrow(/SATCHEL_LDAP_CA_FILE cannot be used on Cloudflare Workers/);
    expect(workersLdapDirectory(settings)).toHaveProperty("authenticate");
  });

  it("refuses an empty password and an injection without opening a connection", async () => {
    const directory = workersLdapDirectory(settings);
    expect(await directory.authenticate("alice", "")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await directory.authenticate("*)(uid=*", "secret")).toMatchObject({ ok: false, reason: "invalid" });
  });
});
