// Content digests as lowercase hex (WebCrypto, so the same in workerd and Node).
import { toHex, utf8 } from "./encoding.ts";

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return digestHex("SHA-256", data);
}

/** Composer's dist shasum. */
export async function sha1Hex(data: string | Uint8Array): Promise<string> {
  return digestHex("SHA-1", data);
}

async function digestHex(algorithm: "SHA-1" | "SHA-256", data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? utf8(data) : (data as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(await crypto.subtle.digest(algorithm, bytes)));
}
