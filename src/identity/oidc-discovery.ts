// An OpenID provider's metadata (`{issuer}/.well-known/openid-configuration`) and keys (its
// `jwks_uri`), each URL held to the issuer rule (issuer-url.ts).
import type { JSONWebKeySet } from "jose";
import { fetchJson, type IssuerAccess } from "./fetch-json.ts";
import { issuerUrlProblem, normalizeIssuer } from "./issuer-url.ts";

/** Asymmetric only: an `alg: none` or HMAC token proves nothing about who signed it. */
export const ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

export interface OidcMetadata {
  issuer: string;
  jwksUri: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
}

/** The issuer's metadata, or why it cannot be used. */
export async function discover(access: IssuerAccess, issuer: string): Promise<OidcMetadata | string> {
  const metadata = await fetchJson(access, `${issuer}/.well-known/openid-configuration`);
  if (typeof metadata === "string") return `its metadata ${metadata}`;
  if (typeof metadata.issuer !== "string" || normalizeIssuer(metadata.issuer) !== issuer) return "its metadata names another issuer";
  const urls: Record<string, unknown> = { jwks_uri: metadata.jwks_uri, authorization_endpoint: metadata.authorization_endpoint, token_endpoint: metadata.token_endpoint };
  for (const [name, url] of Object.entries(urls)) {
    if (url === undefined && name !== "jwks_uri") continue;
    if (typeof url !== "string") return `its metadata has no ${name}`;
    const problem = issuerUrlProblem(url, access.allowInsecure);
    if (problem) return `its ${name} ${problem}`;
  }
  return {
    issuer: metadata.issuer as string,
    jwksUri: metadata.jwks_uri as string,
    authorizationEndpoint: metadata.authorization_endpoint as string | undefined,
    tokenEndpoint: metadata.token_endpoint as string | undefined,
  };
}

export async function fetchKeys(access: IssuerAccess, jwksUri: string): Promise<JSONWebKeySet | string> {
  const jwks = await fetchJson(access, jwksUri);
  if (typeof jwks === "string") return `its JWKS ${jwks}`;
  if (!Array.isArray(jwks.keys)) return "its JWKS has no keys";
  return jwks as unknown as JSONWebKeySet;
}
