// A GitHub App installation's tokens (docs.github.com, "Authenticating as a GitHub App
// installation"): a JWT signed with the App's private key (RS256, at most 10 minutes) buys an
// installation token (one hour) at POST /app/installations/{id}/access_tokens. The answer also
// lists the installation's permissions, which say what the App may not do.
import { importPKCS8, SignJWT } from "jose";
import { fromBase64 } from "../crypto/encoding.ts";
import { MissingScope, isRecord, type AccessNeeds } from "./providers/org-provider.ts";
import type { ProviderHttp } from "./provider-http.ts";

export interface InstallationToken {
  token: string;
  expiresAt: number;
  permissions: Record<string, string>;
}

export async function appJwt(appId: string, privateKeyPem: string, now: number): Promise<string> {
  const key = await importPKCS8(asPkcs8(privateKeyPem), "RS256");
  const seconds = Math.floor(now / 1000);
  // Backdated a minute against clock drift, as GitHub advises.
  return new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setIssuer(appId).setIssuedAt(seconds - 60).setExpirationTime(seconds + 540).sign(key);
}

/** `http` must carry the App JWT as its authorization (not an installation token). */
export async function mintInstallationToken(http: ProviderHttp, installationId: string): Promise<InstallationToken> {
  const { body } = await http.call("POST", `/app/installations/${encodeURIComponent(installationId)}/access_tokens`);
  if (!isRecord(body) || typeof body.token !== "string" || typeof body.expires_at !== "string") throw new Error("GitHub answered the installation token request without a token.");
  const permissions = isRecord(body.permissions) ? Object.fromEntries(Object.entries(body.permissions).map(([name, level]) => [name, String(level)])) : {};
  return { token: body.token, expiresAt: Date.parse(body.expires_at), permissions };
}

const LEVELS = ["read", "write", "admin"];

/** Throws MissingScope naming the first App permission the installation lacks. */
export function checkAppPermissions(permissions: Record<string, string>, needs: AccessNeeds): void {
  const wanted: [string, string][] = [["contents", "read"], ["metadata", "read"], ...(needs.hooks ? ([["organization_hooks", "write"]] as [string, string][]) : []), ...(needs.teams ? ([["members", "read"]] as [string, string][]) : [])];
  for (const [name, level] of wanted) {
    const granted = LEVELS.indexOf(permissions[name] ?? "");
    if (granted < LEVELS.indexOf(level)) throw new MissingScope(name, `The GitHub App installation lacks the "${name}: ${level}" permission.`);
  }
}

/** GitHub hands out PKCS#1 keys ("BEGIN RSA PRIVATE KEY"); WebCrypto imports PKCS#8: wrap the DER. */
export function asPkcs8(pem: string): string {
  if (!pem.includes("BEGIN RSA PRIVATE KEY")) return pem;
  const der = fromBase64(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""));
  // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption NULL, OCTET STRING pkcs1 }
  const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const octets = [0x04, ...derLength(der.length), ...der];
  const content = [0x02, 0x01, 0x00, ...algorithm, ...octets];
  const wrapped = Uint8Array.from([0x30, ...derLength(content.length), ...content]);
  let binary = "";
  for (const byte of wrapped) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
