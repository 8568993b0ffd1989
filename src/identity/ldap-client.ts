// The LDAP port on Node, with npm `ldapts`: bind as the user (their DN from a template), or
// search with a service account and bind as the one entry found. An empty password never binds
// (that would be an anonymous bind, which succeeds); the username is checked before it reaches
// a DN or a filter, and escaped there all the same.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Client, EqualityFilter, AndFilter, OrFilter } from "ldapts";
import { ldapUsernameProblem, type LdapDirectory, type LdapOutcome, type LdapSettings } from "./ldap-directory.ts";

const INVALID: LdapOutcome = { ok: false, reason: "invalid", message: "Invalid username or password." };

// Node's TLS errors that mean "this certificate is not trusted here", not "the directory is down".
const UNTRUSTED = /SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|CERT_(UNTRUSTED|SIGNATURE_FAILURE|HAS_EXPIRED|NOT_YET_VALID)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

export function ldapDirectory(settings: LdapSettings): LdapDirectory {
  // Read once at start: a missing CA file stops the server with the reason instead of failing every sign-in.
  const tlsOptions: ConnectionOptions = { rejectUnauthorized: true, ...(settings.caFile ? { ca: readFileSync(settings.caFile) } : {}) };
  return {
    async authenticate(username, password) {
      if (ldapUsernameProblem(username) || password.length === 0) return INVALID;
      // ldapts opens TLS at connect whenever it is given tlsOptions: only for ldaps://, StartTLS upgrades an ldap:// connection.
      const ldaps = settings.url.toLowerCase().startsWith("ldaps:");
      const client = new Client({ url: settings.url, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs, ...(ldaps ? { tlsOptions } : {}) });
      try {
        if (settings.startTls) await client.startTLS(tlsOptions);
        const dn = await userDn(client, settings, username);
        if (!dn) return INVALID;
        try {
          await client.bind(dn, password);
        } catch {
          return INVALID;
        }
        return { ok: true, claims: await describe(client, settings, dn, username) };
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        if (UNTRUSTED.test(`${code ?? ""} ${message}`)) {
          return { ok: false, reason: "unreachable", message: `The directory's TLS certificate is not trusted (${message.slice(0, 120)}): give the CA that signed it in SATCHEL_LDAP_CA_FILE.` };
        }
        return { ok: false, reason: "unreachable", message: `The directory cannot be reached (${message.slice(0, 120)}).` };
      } finally {
        await client.unbind().catch(() => undefined);
      }
    },
  };
}

async function userDn(client: Client, settings: LdapSettings, username: string): Promise<string | null> {
  if (settings.userDn) return settings.userDn.replace("{username}", escapeDnValue(username));
  if (!settings.bindDn || !settings.userBase) throw new Error("set SATCHEL_LDAP_USER_DN, or SATCHEL_LDAP_BIND_DN and SATCHEL_LDAP_USER_BASE");
  await client.bind(settings.bindDn, settings.bindPassword ?? "");
  const filter = new EqualityFilter({ attribute: settings.userAttribute, value: username });
  const { searchEntries } = await client.search(settings.userBase, { scope: "sub", filter, attributes: ["dn"], sizeLimit: 2 });
  // Exactly one: two entries for one name is a directory to refuse, not to guess in.
  return searchEntries.length === 1 ? (searchEntries[0]?.dn ?? null) : null;
}

async function describe(client: Client, settings: LdapSettings, dn: string, username: string) {
  const { searchEntries } = await client.search(dn, { scope: "base", attributes: ["mail", "cn", "displayName", "entryUUID"] });
  const entry = searchEntries[0] ?? { dn };
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value)?.toString();
  let groups: string[] = [];
  if (settings.groupBase) {
    const filter = new OrFilter({ filters: [new EqualityFilter({ attribute: "member", value: dn }), new EqualityFilter({ attribute: "uniqueMember", value: dn })] });
    const found = await client.search(settings.groupBase, { scope: "sub", filter: new AndFilter({ filters: [filter] }), attributes: ["cn"] });
    groups = found.searchEntries.map((group) => first(group.cn)).filter((cn): cn is string => typeof cn === "string");
  }
  const email = first(entry.mail);
  return { sub: first(entry.entryUUID) ?? dn, preferred_username: username, name: first(entry.displayName) ?? first(entry.cn), email, email_verified: email !== undefined, groups };
}

/** RFC 4514: the characters a DN attribute value must escape. */
function escapeDnValue(value: string): string {
  return value.replace(/[\\,+"<>;=#]/g, (char) => `\\${char}`).replace(/^ | $/g, (char) => `\\${char}`);
}
