// A token for a service account, asked for by an admin (API or page): the account's own rights
// narrowed by the scopes asked for, and not tied to the admin's token (revoking the admin's
// session or token leaves CI running).
import { issueToken, type IssuedToken } from "../auth/api-tokens.ts";
import { loadPrincipal } from "../auth/principal.ts";
import { notFound } from "../http/errors.ts";
import type { JsonObject } from "../http/json-body.ts";
import type { Services } from "../services.ts";
import { requestedExpiry, requestedScopes } from "../auth/token-request.ts";

export async function mintServiceAccountToken(services: Services, accountId: number, request: { name: string; scopes: JsonObject; expiresAt: number | null }): Promise<IssuedToken> {
  const account = await loadPrincipal(services.db, accountId);
  if (!account?.serviceAccount) throw notFound("No such service account.");
  const scopes = requestedScopes(request.scopes, account);
  const expiresAt = requestedExpiry(request.expiresAt, account, services.now());
  return issueToken(services, { userId: accountId, name: request.name, kind: "api", scopes, expiresAt, parentId: null });
}
