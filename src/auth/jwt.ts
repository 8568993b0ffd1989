// Tokens are JWTs (HS256) carrying `sub` (user id), `jti` (the DB row), `scp` (scopes), `knd`
// (api or session) and an optional `exp`. The signature proves we issued it; the DB row decides
// whether it still counts, and must agree on the kind.
import { errors, jwtVerify, SignJWT } from "jose";
import { sha256Hex } from "../crypto/digest.ts";

/** `api`: Bearer / http-basic credentials. `session`: the pages' cookie. Neither stands in for the other. */
export type TokenKind = "api" | "session";

export interface TokenClaims {
  userId: number;
  jti: string;
  kind: TokenKind;
  scopes: string[];
  expiresAt: number | null;
}

export type VerifyOutcome = { ok: true; claims: TokenClaims } | { ok: false; reason: "invalid" | "expired" };

/** The `kid` of tokens signed with `secret`: a fingerprint, never the key. */
export const jwtKid = async (secret: string) => `hs-${(await sha256Hex(secret)).slice(0, 12)}`;

/**
 * The signing key (JWT_SECRET) and the keys it replaced (JWT_PREVIOUS_SECRETS): new tokens are
 * signed with the first, and a token verifies under whichever key its `kid` names, so tokens
 * issued before a rotation keep working until the old key is dropped from the configuration.
 */
export class JwtKeys {
  readonly #secret: Uint8Array;
  readonly #kid: Promise<string>;
  readonly #verifiers: Promise<Map<string, Uint8Array>>;

  constructor(secret: string, previous: readonly string[] = []) {
    this.#secret = new TextEncoder().encode(secret);
    this.#kid = jwtKid(secret);
    this.#verifiers = Promise.all([secret, ...previous].map(async (key) => [await jwtKid(key), new TextEncoder().encode(key)] as const)).then(
      // The signing key wins a (vanishingly unlikely) kid clash.
      (entries) => new Map(entries.reverse()),
    );
  }

  signingKid(): Promise<string> {
    return this.#kid;
  }

  /** The kid new tokens get, and the kids still accepted. */
  async kids(): Promise<{ signing: string; verifyOnly: string[] }> {
    const signing = await this.#kid;
    return { signing, verifyOnly: [...(await this.#verifiers).keys()].filter((kid) => kid !== signing) };
  }

  async sign(claims: TokenClaims, issuedAtMs: number): Promise<string> {
    const jwt = new SignJWT({ scp: claims.scopes, knd: claims.kind })
      .setProtectedHeader({ alg: "HS256", kid: await this.#kid, typ: "JWT" })
      .setSubject(String(claims.userId))
      .setJti(claims.jti)
      .setIssuer("satchel")
      .setIssuedAt(Math.floor(issuedAtMs / 1000));
    if (claims.expiresAt !== null) jwt.setExpirationTime(Math.floor(claims.expiresAt / 1000));
    return jwt.sign(this.#secret);
  }

  async verify(token: string, nowMs: number): Promise<VerifyOutcome> {
    try {
      const verifiers = await this.#verifiers;
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : verifiers.get(header.kid);
          if (!key) throw new errors.JWSSignatureVerificationFailed("unknown key id");
          return key;
        },
        { algorithms: ["HS256"], issuer: "satchel", currentDate: new Date(nowMs) },
      );
      const userId = Number(payload.sub);
      const scopes = Array.isArray(payload.scp) ? payload.scp.filter((scope): scope is string => typeof scope === "string") : [];
      // Tokens signed before kinds existed carry no claim: they count as API tokens, and the
      // DB row (sessions were marked by migration 0006) must agree.
      const kind = payload.knd === undefined ? "api" : payload.knd;
      if (!Number.isSafeInteger(userId) || typeof payload.jti !== "string" || (kind !== "api" && kind !== "session")) return { ok: false, reason: "invalid" };
      return { ok: true, claims: { userId, jti: payload.jti, kind, scopes, expiresAt: payload.exp ? payload.exp * 1000 : null } };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
    }
  }
}

export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value) && value.length < 4096;
}
