// LDAP sign-in with npm `ldapts`, whatever carries the bytes (Node: node:net/node:tls in
// ldap-client.ts; Workers: cloudflare:sockets in ldap-sockets.ts): bind as the user (their DN from
// a template), or search with a service account and bind as the one entry found. An empty password
// never binds (that would be an anonymous bind, which succeeds); the username is checked before it
// reaches a DN or a filter, and escaped there all the same.
import { Client, EqualityFilter, AndFilter, OrFilter, type ClientOptions } from "ldapts";
import { ldapUsernameProblem, type LdapDirectory, type LdapOutcome, type LdapSettings } from "./ldap-directory.ts";

const INVALID: LdapOutcome = { ok: false, reason: "invalid", message: "Invalid username or password." };

/** How a runtime opens the directory's connection and explains why it could not. */
export interface LdapConnection {
  /** ldapts client options for this URL (TLS options, or the functions that open the sockets). */
  clientOptions(ldaps: boolean): Partial<ClientOptions>;
  /** The TLS options StartTLS upgrades with. */
  startTlsOptions: NonNullable<ClientOptions["tlsOptions"]>;
  /** The admin's reason for a failure that is not a refused password. */
  failure(error: { code?: string; message: string }): string;
}

export function ldapDirectoryOver(settings: LdapSettings, connection: LdapConnection): LdapDirectory {
  return {
    async authenticate(username, password) {
      if (ldapUsernameProblem(username) || password.length === 0) return INVALID;
      const ldaps = settings.url.toLowerCase().startsWith("ldaps:");
      const client = new Client({ url: settings.url, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs, ...connection.clientOptions(ldaps) });
      try {
        if (settings.startTls) await client.startTLS(connection.startTlsOptions);
        const dn = await userDn(client, settings, username);
        if (!dn) return INVALID;
        try {
          await client.bind(dn, password);
        } catch {
          return INVALID;
        }
        return { ok: true, claims: await describe(client, settings, dn, username) };
      } catch (error) {
        return { ok: false, reason: "unreachable", message: connection.failure(error as { code?: string; message: string }) };
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
