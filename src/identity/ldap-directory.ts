// The LDAP port: who a username and password are in the company directory. Each entry gives the
// app the npm `ldapts` client over its runtime's sockets: Node's (ldap-client.ts), or Cloudflare's
// connect() (ldap-sockets.ts).
export interface LdapSettings {
  /** ldap://host:389 (with startTls) or ldaps://host:636. */
  url: string;
  startTls: boolean;
  /** PEM file of the CA that signed the directory's certificate (a private CA; Node only); without it, the system's CAs. Verification is always on. */
  caFile?: string;
  /** Direct bind: the user's DN with `{username}` in it, e.g. `uid={username},ou=people,dc=acme,dc=com`. */
  userDn?: string;
  /** Search-then-bind: a service account finds the user under `userBase` by `userAttribute`. */
  bindDn?: string;
  bindPassword?: string;
  userBase?: string;
  userAttribute: string;
  /** Groups (groupOfNames / groupOfUniqueNames) listing the user's DN; their `cn` are the user's groups. */
  groupBase?: string;
  timeoutMs: number;
}

export type LdapOutcome =
  | { ok: true; claims: { sub: string; preferred_username: string; name?: string; email?: string; email_verified: boolean; groups: string[] } }
  | { ok: false; reason: "invalid" | "unreachable"; message: string };

export interface LdapDirectory {
  authenticate(username: string, password: string): Promise<LdapOutcome>;
}

/** Usernames that can go into a DN or a filter only escaped: refused outright instead. */
export function ldapUsernameProblem(username: string): string | null {
  if (username.length === 0 || username.length > 64) return "The username is empty or too long.";
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(username)) return "The username holds characters a directory name may not.";
  return null;
}
