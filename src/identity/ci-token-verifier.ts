// Verifies a CI job's OIDC ID token (GitHub Actions, GitLab CI, any OIDC issuer): the issuer's
// metadata at `{issuer}/.well-known/openid-configuration` names its `jwks_uri`; the token must be
// signed by one of those keys with an asymmetric algorithm, name that issuer, and be unexpired.
// Only issuers an admin or maintainer declared are ever contacted.
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { ASYMMETRIC_ALGORITHMS, discover, fetchKeys } from "./oidc-discovery.ts";
import { issuerUrlProblem, normalizeIssuer } from "./issuer-url.ts";

export type { IssuerAccess } from "./fetch-json.ts";
import type { IssuerAccess } from "./fetch-json.ts";

export type CiTokenCheck =
  | { ok: true; payload: JWTPayload }
  | { ok: false; status: 403 | 502; code: string; message: string };

export const MAX_CI_TOKEN_LENGTH = 16 * 1024;

/** The token's issuer, read before verification (to know whose keys to fetch), normalized; null if unreadable. */
export function claimedIssuer(token: string): string | null {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === "string" && iss !== "" ? normalizeIssuer(iss) : null;
  } catch {
    return null;
  }
}

export async function verifyCiToken(access: IssuerAccess, token: string, issuer: string): Promise<CiTokenCheck> {
  const issuerProblem = issuerUrlProblem(issuer, access.allowInsecure);
  if (issuerProblem) return refused("untrusted_issuer", `The issuer ${issuer} ${issuerProblem}.`);
  const keys = await issuerKeys(access, issuer);
  if (typeof keys === "string") return { ok: false, status: 502, code: "issuer_unreachable", message: `Could not read the signing keys of ${issuer}: ${keys}.` };
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), { algorithms: ASYMMETRIC_ALGORITHMS, currentDate: new Date(access.now()), requiredClaims: ["exp"] });
    if (typeof payload.iss !== "string" || normalizeIssuer(payload.iss) !== issuer) return refused("invalid_token", "The CI token names another issuer.");
    return { ok: true, payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return refused("token_expired", "The CI token has expired: request a new one in the job.");
    return refused("invalid_token", `The CI token's signature or claims are not valid (${error instanceof errors.JOSEError ? error.code : "malformed"}).`);
  }
}

function refused(code: string, message: string): CiTokenCheck {
  return { ok: false, status: 403, code, message };
}

/** The issuer's JWKS, or why it could not be read. */
async function issuerKeys(access: IssuerAccess, issuer: string): Promise<JSONWebKeySet | string> {
  const metadata = await discover(access, issuer);
  return typeof metadata === "string" ? metadata : fetchKeys(access, metadata.jwksUri);
}
