// API tokens as secret scanners recognize them: `satchel_` + 32 random base62 characters + a
// 6-character base62 CRC-32 of those 32 (GitHub's scheme). A leaked token is found by the regex
// `satchel_[0-9A-Za-z]{38}`, and a mistyped one fails its checksum without a DB read. The DB keeps
// only a SHA-256 of the token (in `tokens.jti`), so a copy of the database holds no usable token.
// Older API tokens (JWTs) keep working: see api-tokens.ts.
import { crc32 } from "../packages/crc32.ts";
import { sha256Hex } from "../crypto/digest.ts";

export const API_TOKEN_PREFIX = "satchel_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

export function newApiToken(): string {
  // 62^32 ≈ 2^190; rejection sampling keeps every character uniform.
  let random = "";
  while (random.length < RANDOM_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(RANDOM_LENGTH))) if (byte < 248 && random.length < RANDOM_LENGTH) random += ALPHABET[byte % 62];
  }
  return `${API_TOKEN_PREFIX}${random}${checksumOf(random)}`;
}

/** The cheap test (prefix, length, alphabet) that tells a new-style token from a JWT. */
export function hasApiTokenShape(token: string): boolean {
  return token.length === API_TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH && SHAPE.test(token);
}

/** The checksum a scanner (or a typo check) computes: no key, no DB. */
export function checksumMatches(token: string): boolean {
  const random = token.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + RANDOM_LENGTH);
  return token.slice(-CHECKSUM_LENGTH) === checksumOf(random);
}

/** What the DB stores and looks the token up by (`tokens.jti`). */
export async function apiTokenDigest(token: string): Promise<string> {
  return `sha256:${await sha256Hex(token)}`;
}

function checksumOf(random: string): string {
  let value = crc32(new TextEncoder().encode(random));
  let encoded = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    encoded = ALPHABET[value % 62] + encoded;
    value = Math.floor(value / 62);
  }
  return encoded;
}
