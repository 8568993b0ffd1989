// Secrets at rest (SSH keys, provider tokens, webhook and TOTP secrets): AES-256-GCM through
// WebCrypto, keyed by ENCRYPTION_KEY, which never lives in the database. Format:
// v2.<key id>.<iv>.<ciphertext> (v1.<iv>.<ciphertext> before key ids). Keys ENCRYPTION_KEY
// replaced (ENCRYPTION_PREVIOUS_KEYS) still open what they sealed until the re-encryption job
// (sealed-secret-store.ts) has moved everything to the current key.
import { fromBase64, toBase64 } from "../crypto/encoding.ts";
import { sha256Hex } from "../crypto/digest.ts";

export interface EncryptionKeys {
  encryptionKey: string;
  encryptionPreviousKeys?: readonly string[];
}

interface RingKey {
  id: string;
  key: CryptoKey;
}

/** The id a sealed value names its key by: a fingerprint, never the key. */
export const encryptionKeyId = async (encryptionKey: string) => (await sha256Hex(`satchel secret box key id:${encryptionKey}`)).slice(0, 12);

async function ringKey(encryptionKey: string): Promise<RingKey> {
  // Any string works as a key: it is stretched to 256 bits with SHA-256.
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(encryptionKey));
  return { id: await encryptionKeyId(encryptionKey), key: await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) };
}

export class SecretBox {
  readonly #ring: Promise<RingKey[]>;

  constructor(keys: string | EncryptionKeys) {
    const all = typeof keys === "string" ? [keys] : [keys.encryptionKey, ...(keys.encryptionPreviousKeys ?? [])];
    this.#ring = Promise.all(all.map(ringKey));
  }

  /** The id of the key new values are sealed with. */
  async currentKeyId(): Promise<string> {
    return (await this.#ring)[0]!.id;
  }

  async seal(plaintext: string): Promise<string> {
    const current = (await this.#ring)[0]!;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, current.key, new TextEncoder().encode(plaintext));
    return `v2.${current.id}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
  }

  async open(sealed: string): Promise<string> {
    const parts = sealed.split(".");
    const ring = await this.#ring;
    if (parts[0] === "v2" && parts.length === 4) {
      const key = ring.find((candidate) => candidate.id === parts[1]);
      if (!key) throw new Error("sealed with a key this instance does not hold (see ENCRYPTION_PREVIOUS_KEYS)");
      return decrypt(key.key, parts[2]!, parts[3]!);
    }
    if (parts[0] !== "v1" || parts.length !== 3) throw new Error("unknown secret format");
    // Before key ids: whichever key opens it (GCM's tag tells the right one from the others).
    for (const { key } of ring) {
      try {
        return await decrypt(key, parts[1]!, parts[2]!);
      } catch {
        // Not this key: try the next.
      }
    }
    throw new Error("sealed with a key this instance does not hold (see ENCRYPTION_PREVIOUS_KEYS)");
  }
}

async function decrypt(key: CryptoKey, iv: string, data: string): Promise<string> {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, key, fromBase64(data));
  return new TextDecoder().decode(plain);
}
