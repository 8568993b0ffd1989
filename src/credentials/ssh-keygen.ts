// An ed25519 SSH key pair generated with WebCrypto (workerd and Node both have Ed25519) and
// written in OpenSSH's own formats: the `openssh-key-v1` private key (unencrypted, as
// `ssh-keygen -N ""` writes it) and the one-line public key to paste into a git provider.
import { toBase64 } from "../crypto/encoding.ts";

export interface SshKeyPair {
  privateKey: string;
  publicKey: string;
}

const encoder = new TextEncoder();

export async function generateEd25519KeyPair(comment: string): Promise<SshKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicRaw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  // PKCS#8 for Ed25519 (RFC 8410) ends with the 32-byte seed.
  const seed = pkcs8.slice(pkcs8.length - 32);
  return { privateKey: openSshPrivateKey(seed, publicRaw, comment), publicKey: openSshPublicKey(publicRaw, comment) };
}

export function openSshPublicKey(publicRaw: Uint8Array, comment: string): string {
  return `ssh-ed25519 ${toBase64(publicBlob(publicRaw))}${comment ? ` ${comment}` : ""}`;
}

function openSshPrivateKey(seed: Uint8Array, publicRaw: Uint8Array, comment: string): string {
  const check = crypto.getRandomValues(new Uint8Array(4));
  const privateSection = [
    check,
    check,
    sshString("ssh-ed25519"),
    sshString(publicRaw),
    sshString(concat([seed, publicRaw])),
    sshString(comment),
  ];
  let unpadded = concat(privateSection);
  // Padded to the cipher block size (8 for "none") with 1, 2, 3, ...
  const padding = Uint8Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1);
  unpadded = concat([unpadded, padding]);
  const body = concat([
    encoder.encode("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob(publicRaw)),
    sshString(unpadded),
  ]);
  const lines = toBase64(body).match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function publicBlob(publicRaw: Uint8Array): Uint8Array {
  return concat([sshString("ssh-ed25519"), sshString(publicRaw)]);
}

function sshString(value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  return concat([uint32(bytes.length), bytes]);
}

function uint32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
