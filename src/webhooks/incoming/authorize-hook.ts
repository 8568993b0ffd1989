// Who may trigger updates through a hook: the provider's proof checked against the stored
// secrets in constant time, or a Satchel API token with packages:write (the Authorization
// header, or the query string for providers that cannot send headers: Packeton's
// `?token=<username>:<token>`, Packagist's `?username=&apiToken=`).
import { checkApiToken } from "../../auth/api-tokens.ts";
import { refusePackage } from "../../auth/package-write.ts";
import type { Principal } from "../../auth/principal.ts";
import { clientIp, type AppContext } from "../../http/context.ts";
import { AppError } from "../../http/errors.ts";
import type { HookedPackage } from "./find-packages.ts";
import { secretsFor } from "./hook-secret-store.ts";
import type { IncomingProvider } from "./providers/provider.ts";
import { matchingSecrets } from "./verify-signature.ts";

export interface HookAuthorization {
  /** The packages among the candidates this request may update. */
  packages: HookedPackage[];
  /** Proven by a signature over the body (which a replay carries along), not by a token. */
  bySignature: boolean;
}

/** What this request may update; 401/403 otherwise. */
export async function authorizeHook(c: AppContext, provider: IncomingProvider, body: Uint8Array, candidates: HookedPackage[]): Promise<HookAuthorization> {
  const principal = c.get("principal") ?? (await queryTokenPrincipal(c));
  if (principal) {
    if (principal.packageWrite !== undefined) return { packages: confinedTo(principal, candidates), bySignature: false };
    if (!principal.scopes.includes("packages:write")) throw new AppError(403, "forbidden", 'Updating packages requires the "packages:write" right.');
    return { packages: candidates, bySignature: false };
  }
  const proof = provider.proof(c.req.raw.headers);
  const header = provider.proofHeader;
  if (!proof) {
    const token = "an API token (Authorization: Bearer <token>, or ?token=<username>:<token> in the hook URL)";
    const message = header ? `${header} is missing: give the hook its webhook secret, or use ${token}.` : `Authentication required: use ${token}.`;
    throw new AppError(401, "unauthorized", message);
  }
  const secrets = await secretsFor(c.get("services"), provider.id, candidates.map((pkg) => pkg.id));
  const matched = await matchingSecrets(proof, secrets, body);
  if (matched.length === 0) throw new AppError(401, "invalid_signature", `${header ?? "The signature"} does not match any webhook secret for this repository.`);
  return { packages: vouchedPackages(candidates, matched), bySignature: proof.kind === "hmac-sha256" };
}

/** An integration secret (no package) vouches for every candidate; a package secret only for its own. */
export function vouchedPackages<P extends { id: number }>(candidates: P[], matched: { packageId: number | null }[]): P[] {
  if (matched.some((secret) => secret.packageId === null)) return candidates;
  const allowed = new Set(matched.map((secret) => secret.packageId));
  return candidates.filter((pkg) => allowed.has(pkg.id));
}

/** A token confined to one package (trusted publishing) updates that package and no other. */
function confinedTo(principal: Principal, candidates: HookedPackage[]): HookedPackage[] {
  const own = candidates.filter((pkg) => pkg.name === principal.packageWrite);
  if (own.length === 0) throw refusePackage(principal);
  return own;
}

/**
 * The API token a hook URL carries: Packeton's `?token=<username>:<token>` (a JWT has no
 * colon) or Packagist's `?username=&apiToken=`; null when it carries none.
 */
export function hookUrlToken(query: { token?: string; apiToken?: string; username?: string }): { username?: string; token: string } | null {
  const { token: tokenParam, apiToken } = query;
  if (!tokenParam && !apiToken) return null;
  let username = query.username;
  let token = apiToken ?? tokenParam ?? "";
  const colon = token.indexOf(":");
  if (!apiToken && colon > 0) {
    username = token.slice(0, colon);
    token = token.slice(colon + 1);
  }
  return { ...(username !== undefined ? { username } : {}), token };
}

async function queryTokenPrincipal(c: AppContext): Promise<Principal | null> {
  const given = hookUrlToken({ token: c.req.query("token"), apiToken: c.req.query("apiToken"), username: c.req.query("username") });
  if (!given) return null;
  const { username, token } = given;
  const services = c.get("services");
  const check = await checkApiToken(services, token);
  if (!check.ok || (username !== undefined && username.toLowerCase() !== check.principal.username.toLowerCase())) {
    if (services.authFailures.hit(clientIp(c), services.now())) throw new AppError(429, "rate_limited", "Too many failed authentications. Try again later.");
    throw new AppError(401, "unauthorized", "Invalid or expired API token in the hook URL.");
  }
  return check.principal;
}
