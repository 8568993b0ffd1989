// Debian's slapd on 127.0.0.1 with a fixture directory (dc=acme,dc=test), for LDAP sign-in tests:
//   people: alice (alice-secret, devs + staff), bob (bob-secret, staff), carol (carol-secret, no group)
//   a service account cn=reader,dc=acme,dc=test (reader-secret) for search-then-bind.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./satchel-process.ts";

export const SLAPD = "/usr/sbin/slapd";
export const LDAP_BASE = "dc=acme,dc=test";

export interface Slapd {
  url: string;
  close(): Promise<void>;
}

/** With TLS: StartTLS on `url`, LDAPS on `ldapsUrl`, a certificate for 127.0.0.1 signed by `caFile`; `otherCaFile` signed nothing here. */
export interface TlsSlapd extends Slapd {
  ldapsUrl: string;
  caFile: string;
  otherCaFile: string;
}

export function slapdAvailable(): boolean {
  const available = existsSync(SLAPD);
  if (!available) {
    if (process.env.CI === "true") throw new Error("slapd is required on CI (apt-get install slapd ldap-utils)");
    console.warn("\n!!! slapd is not installed: the LDAP tests are SKIPPED. apt-get install slapd ldap-utils\n");
  }
  return available;
}

const person = (uid: string, mail: string) => `dn: uid=${uid},ou=people,${LDAP_BASE}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${uid[0]?.toUpperCase()}${uid.slice(1)}
sn: ${uid}
mail: ${mail}
userPassword: ${uid}-secret
`;

const FIXTURE = `dn: ${LDAP_BASE}
objectClass: dcObject
objectClass: organization
dc: acme
o: Acme

dn: ou=people,${LDAP_BASE}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${LDAP_BASE}
objectClass: organizationalUnit
ou: groups

dn: cn=reader,${LDAP_BASE}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: reader-secret

${person("alice", "alice@acme.test")}
${person("bob", "bob@acme.test")}
${person("carol", "carol@acme.test")}
dn: cn=devs,ou=groups,${LDAP_BASE}
objectClass: groupOfNames
cn: devs
member: uid=alice,ou=people,${LDAP_BASE}

dn: cn=staff,ou=groups,${LDAP_BASE}
objectClass: groupOfNames
cn: staff
member: uid=alice,ou=people,${LDAP_BASE}
member: uid=bob,ou=people,${LDAP_BASE}
`;

export async function startSlapd(): Promise<Slapd>;
export async function startSlapd(options: { tls: true }): Promise<TlsSlapd>;
export async function startSlapd(options: { tls?: boolean } = {}): Promise<Slapd | TlsSlapd> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-slapd-"));
  const tls = options.tls ? selfSignedCa(dir) : null;
  await mkdir(path.join(dir, "data"));
  const config = path.join(dir, "slapd.conf");
  await writeFile(
    config,
    ["core", "cosine", "inetorgperson", "nis"].map((schema) => `include /etc/ldap/schema/${schema}.schema`).join("\n") +
      `\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\npidfile ${dir}/slapd.pid\n` +
      `database mdb\nsuffix "${LDAP_BASE}"\nrootdn "cn=admin,${LDAP_BASE}"\nrootpw admin-secret\ndirectory ${dir}/data\n` +
      `access to attrs=userPassword by anonymous auth by * none\naccess to * by * read\n` +
      (tls ? `TLSCACertificateFile ${tls.caFile}\nTLSCertificateFile ${tls.certFile}\nTLSCertificateKeyFile ${tls.keyFile}\n` : ""),
  );
  await writeFile(path.join(dir, "fixture.ldif"), FIXTURE);
  const loaded = spawnSync("/usr/sbin/slapadd", ["-f", config, "-l", path.join(dir, "fixture.ldif")], { encoding: "utf8" });
  if (loaded.status !== 0) throw new Error(`slapadd: ${loaded.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tls ? `ldaps://127.0.0.1:${await freePort()}` : null;
  const child = spawn(SLAPD, ["-f", config, "-h", ldapsUrl ? `${url}/ ${ldapsUrl}/` : `${url}/`, "-d", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (spawnSync("/usr/bin/ldapsearch", ["-x", "-H", url, "-b", LDAP_BASE, "-s", "base"], { encoding: "utf8" }).status !== 0) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`slapd did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    ...(tls && ldapsUrl ? { ldapsUrl, caFile: tls.caFile, otherCaFile: tls.otherCaFile } : {}),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A CA and a server certificate for 127.0.0.1 made with openssl, and a second CA that signed nothing. */
function selfSignedCa(dir: string) {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    const run = spawnSync("/usr/bin/openssl", args, { encoding: "utf8", cwd: dir });
    if (run.status !== 0) throw new Error(`openssl ${args[0]}: ${run.stderr}`);
  };
  for (const ca of ["ca", "other-ca"]) {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=Satchel test ${ca}`, "-keyout", file(`${ca}.key`), "-out", file(`${ca}.pem`));
  }
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", file("server.key"), "-out", file("server.csr"));
  writeFileSync(file("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", file("san.ext"), "-out", file("server.pem"));
  return { caFile: file("ca.pem"), otherCaFile: file("other-ca.pem"), certFile: file("server.pem"), keyFile: file("server.key") };
}
