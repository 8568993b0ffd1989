// HMAC-SHA256 (WebCrypto, so the same in workerd and Node) for incoming signatures and for the
// signature of outgoing deliveries, and random secrets for both.
const encoder = new TextEncoder();

export async function hmacSha256Hex(secret: string, data: Uint8Array | string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, typeof data === "string" ? encoder.encode(data) : data));
  let hex = "";
  for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** 32 random bytes as 64 hex characters: a webhook secret. */
export function randomSecret(): string {
  let hex = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(32))) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
