// HMAC-SHA256 (WebCrypto, so the same in workerd and Node): webhook signatures, CSRF tokens,
// recovery-code hashes. And random secrets.
import { toHex, utf8 } from "./encoding.ts";

export async function hmacSha256(secret: string, data: Uint8Array | string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, typeof data === "string" ? utf8(data) : (data as Uint8Array<ArrayBuffer>)));
}

export async function hmacSha256Hex(secret: string, data: Uint8Array | string): Promise<string> {
  return toHex(await hmacSha256(secret, data));
}

/** 32 random bytes as 64 hex characters: a webhook secret. */
export function randomSecret(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}
