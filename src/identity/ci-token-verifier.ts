// Verifies a CI job's OIDC ID token (GitHub Actions, GitLab CI, any OIDC issuer): the issuer's
// metadata at `{issuer}/.well-known/openid-configuration` names its `jwks_uri`; the token must be
// signed by one of those keys with an asymmetric algorithm, name that issuer, and be unexpired.
// Only issuers an admin or maintainer declared are ever contacted.
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { readBoundedBytes } from "../http/bounded-body.ts";
import { issuerUrlProblem, normalizeIssuer } from "./issuer-url.ts";

export interface IssuerAccess {
  fetch: typeof fetch;
  now: () => number;
  allowInsecure: boolean;
}

export type CiTokenCheck =
  | { ok: true; payload: JWTPayload }
  | { ok: false; status: 403 | 502; code: string; message: string };

/** Asymmetric only: an `alg: none` or HMAC token proves nothing about who signed it. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const MAX_DOCUMENT_BYTES = 256 * 1024;
const TIMEOUT_MS = 5000;
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
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), { algorithms: ALGORITHMS, currentDate: new Date(access.now()), requiredClaims: ["exp"] });
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
  const metadata = await fetchJson(access, `${issuer}/.well-known/openid-configuration`);
  if (typeof metadata === "string") return `its metadata ${metadata}`;
  if (typeof metadata.issuer !== "string" || normalizeIssuer(metadata.issuer) !== issuer) return "its metadata names another issuer";
  const jwksUri = metadata.jwks_uri;
  if (typeof jwksUri !== "string") return "its metadata has no jwks_uri";
  const uriProblem = issuerUrlProblem(jwksUri, access.allowInsecure);
  if (uriProblem) return `its jwks_uri ${uriProblem}`;
  const jwks = await fetchJson(access, jwksUri);
  if (typeof jwks === "string") return `its JWKS ${jwks}`;
  if (!Array.isArray(jwks.keys)) return "its JWKS has no keys";
  return jwks as unknown as JSONWebKeySet;
}

async function fetchJson(access: IssuerAccess, url: string): Promise<Record<string, unknown> | string> {
  let response: Response;
  try {
    response = await access.fetch(url, { headers: { accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return "could not be fetched";
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return `answered HTTP ${response.status}`;
  }
  const bytes = await readBoundedBytes(response.body, MAX_DOCUMENT_BYTES).catch(() => null);
  if (!bytes) return "is too large or was cut off";
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : "is not a JSON object";
  } catch {
    return "is not JSON";
  }
}
