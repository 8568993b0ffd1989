// The LDAP port on Node: ldapts over node:net / node:tls, with the CA file of a private CA.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { LdapDirectory, LdapSettings } from "./ldap-directory.ts";
import { ldapDirectoryOver } from "./ldap-session.ts";

// Node's TLS errors that mean "this certificate is not trusted here", not "the directory is down".
const UNTRUSTED = /SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|CERT_(UNTRUSTED|SIGNATURE_FAILURE|HAS_EXPIRED|NOT_YET_VALID)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

export function ldapDirectory(settings: LdapSettings): LdapDirectory {
  // Read once at start: a missing CA file stops the server with the reason instead of failing every sign-in.
  const tlsOptions: ConnectionOptions = { rejectUnauthorized: true, ...(settings.caFile ? { ca: readFileSync(settings.caFile) } : {}) };
  return ldapDirectoryOver(settings, {
    // ldapts opens TLS at connect whenever it is given tlsOptions: only for ldaps://, StartTLS upgrades an ldap:// connection.
    clientOptions: (ldaps) => (ldaps ? { tlsOptions } : {}),
    startTlsOptions: tlsOptions,
    failure({ code, message }) {
      if (UNTRUSTED.test(`${code ?? ""} ${message}`)) {
        return `The directory's TLS certificate is not trusted (${message.slice(0, 120)}): give the CA that signed it in SATCHEL_LDAP_CA_FILE.`;
      }
      return `The directory cannot be reached (${message.slice(0, 120)}).`;
    },
  });
}
