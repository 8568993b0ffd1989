// Trusted publishing: a CI job's OIDC token, verified against its issuer's keys and matched to a
// declaration, becomes a 15-minute API token that may upload to and update that one package.
import { issueToken, type IssuedToken } from "../auth/api-tokens.ts";
import { loadPrincipal } from "../auth/principal.ts";
import { recordAudit } from "../audit/audit-log.ts";
import { AppError, badRequest } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { claimedIssuer, verifyCiToken } from "./ci-token-verifier.ts";
import { claimsMatch } from "./claim-patterns.ts";
import type { TrustedPublisher, TrustedPublisherStore } from "./trusted-publisher-store.ts";

export const PUBLISHING_TOKEN_LIFETIME_MS = 15 * 60_000;

const refused = (code: string, message: string) => new AppError(403, code, message);

export async function exchangeCiToken(services: Services, store: TrustedPublisherStore, token: string, wantedPackage: string | undefined, ip: string | null): Promise<IssuedToken & { package: string }> {
  const issuer = claimedIssuer(token);
  if (!issuer) throw refused("invalid_token", "The token is not a signed JWT with an issuer (iss).");
  const declared = await store.forIssuer(issuer);
  if (declared.length === 0) throw refused("untrusted_issuer", `No trusted publisher is declared for the issuer ${issuer.slice(0, 200)}.`);

  const check = await verifyCiToken({ fetch: services.fetch, now: services.now, allowInsecure: services.config.allowInsecureOidcIssuers === true }, token, issuer);
  if (!check.ok) throw new AppError(check.status, check.code, check.message);
  const audiences = typeof check.payload.aud === "string" ? [check.payload.aud] : (check.payload.aud ?? []);
  const matching = declared.filter(
    (publisher) => audiences.includes(publisher.audience) && claimsMatch(publisher.claims, check.payload) && (wantedPackage === undefined || publisher.packageName === wantedPackage),
  );
  const publisher = await onlyPackage(matching, wantedPackage);
  const owner = await loadPrincipal(services.db, publisher.createdBy);
  const now = services.now();
  if (!owner || owner.disabled || (owner.expiresAt !== null && owner.expiresAt <= now) || !owner.scopes.includes("packages:write")) {
    throw refused("publisher_owner_cannot_publish", `Whoever declared this trusted publisher may no longer publish ${publisher.packageName}: declare it again.`);
  }
  const subject = typeof check.payload.sub === "string" ? check.payload.sub : issuer;
  const issued = await issueToken(services, {
    userId: publisher.createdBy,
    name: `trusted publishing: ${subject}`.slice(0, 100),
    kind: "api",
    scopes: ["packages:write"],
    expiresAt: now + PUBLISHING_TOKEN_LIFETIME_MS,
    parentId: null,
    packageName: publisher.packageName,
  });
  await recordAudit(services, {
    actor: owner,
    action: "trusted publishing token",
    target: publisher.packageName,
    details: { publisher: publisher.id, issuer, subject: subject.slice(0, 200), token: issued.id },
    ip,
  });
  return { ...issued, package: publisher.packageName };
}

/** The one package the token may publish: refused when none matches, ambiguous when several do. */
async function onlyPackage(matching: TrustedPublisher[], wantedPackage: string | undefined): Promise<TrustedPublisher> {
  const first = matching[0];
  if (!first) {
    const which = wantedPackage ? ` for ${wantedPackage}` : "";
    throw refused("no_matching_publisher", `The token's audience or claims (repository, ref, ...) match no trusted publisher${which}.`);
  }
  const packages = new Set(matching.map((publisher) => publisher.packageName));
  if (packages.size > 1) throw badRequest(`The token may publish several packages (${[...packages].join(", ")}): name one in "package".`, "ambiguous_package");
  return first;
}
