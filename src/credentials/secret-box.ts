// Secrets at rest (SSH keys, provider tokens, webhook secrets): AES-256-GCM through WebCrypto,
// keyed by ENCRYPTION_KEY, which never lives in the database. Format: v1.<iv>.<ciphertext>.
import { fromBase64, toBase64 } from "../crypto/encoding.ts";

export class SecretBox {
  readonly #key: Promise<CryptoKey>;

  constructor(encryptionKey: string) {
    // Any string works as a key: it is stretched to 256 bits with SHA-256.
    this.#key = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(encryptionKey))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }

  async seal(plaintext: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await this.#key, new TextEncoder().encode(plaintext));
    return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
  }

  async open(sealed: string): Promise<string> {
    const [version, iv, data] = sealed.split(".");
    if (version !== "v1" || !iv || !data) throw new Error("unknown secret format");
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, await this.#key, fromBase64(data));
    return new TextDecoder().decode(plain);
  }
}
