// What an admin may set on an identity provider (API and page alike), checked once.
import { isRole } from "../auth/roles.ts";
import { AppError, badRequest } from "../http/errors.ts";
import { optionalBoolean, optionalString, requiredString, type JsonObject } from "../http/json-body.ts";
import type { IdentityProvider, ProviderSettings } from "./identity-provider-store.ts";
import { issuerUrlProblem, normalizeIssuer } from "./issuer-url.ts";
import { LoginExpressionError, parseLoginExpression } from "./login-expression.ts";

const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `currentKind`: the stored provider's kind, when changing one (scopes are checked against it). */
export function providerSettings(body: JsonObject, creating: boolean, allowInsecure: boolean, currentKind = "oidc"): Partial<ProviderSettings> {
  const settings: Partial<ProviderSettings> = {};
  const text = (field: string, max: number) => (creating ? requiredString(body, field, max) : (optionalString(body, field, max) ?? undefined));
  const slug = text("slug", 40);
  if (slug !== undefined && !SLUG.test(slug)) throw badRequest('"slug" must be 1-40 lowercase letters, digits and dashes (it appears in /login/oidc/{slug}).', "invalid_slug");
  settings.slug = slug;
  const kind = body.kind ?? (creating ? "oidc" : undefined);
  if (kind !== undefined) {
    if (kind !== "oidc" && kind !== "github" && kind !== "bitbucket") {
      throw badRequest('"kind" must be "oidc" (any OpenID Connect provider, found by discovery), "github" (github.com or GitHub Enterprise) or "bitbucket" (Bitbucket Cloud).', "invalid_kind");
    }
    settings.kind = kind;
  }
  settings.name = text("name", 100);
  const issuer = text("issuer", 500);
  if (issuer !== undefined) {
    const problem = issuerUrlProblem(normalizeIssuer(issuer), allowInsecure);
    if (problem) throw badRequest(`"issuer" ${problem}.`, "invalid_issuer");
    settings.issuer = normalizeIssuer(issuer);
  }
  settings.clientId = text("clientId", 255);
  settings.scopes = optionalString(body, "scopes", 255) ?? (creating ? "openid email profile" : undefined);
  if (settings.kind === "github" && body.scopes === undefined) settings.scopes = "read:user user:email read:org";
  if (settings.kind === "bitbucket" && body.scopes === undefined) settings.scopes = "account email";
  if (settings.scopes !== undefined && (settings.kind ?? currentKind) === "oidc" && !settings.scopes.split(" ").includes("openid")) throw badRequest('"scopes" must include openid.', "invalid_scopes");
  settings.allowSignUp = optionalBoolean(body, "allowSignUp") ?? (creating ? false : undefined);
  settings.allowedDomains = stringList(body, "allowedDomains", creating, (domain) => /^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain));
  settings.requiredGroups = stringList(body, "requiredGroups", creating, (group) => group.length > 0 && group.length <= 200);
  settings.groupsClaim = optionalString(body, "groupsClaim", 64) ?? (creating ? "groups" : undefined);
  if (body.roleMappings !== undefined || creating) {
    const mappings = body.roleMappings ?? [];
    const valid = Array.isArray(mappings) && mappings.length <= 50 && mappings.every((m) => m && typeof m === "object" && typeof (m as JsonObject).group === "string" && isRole((m as JsonObject).role));
    if (!valid) throw badRequest('"roleMappings" must list {"group", "role"} with a role of ROLE_ADMIN, ROLE_MAINTAINER, ROLE_FULL_CUSTOMER or ROLE_USER.', "invalid_role_mappings");
    settings.roleMappings = (mappings as { group: string; role: string }[]).map(({ group, role }) => ({ group, role }));
  }
  if (body.groupMappings !== undefined || creating) {
    const mappings = body.groupMappings ?? [];
    const valid = Array.isArray(mappings) && mappings.length <= 50 && mappings.every((m) => m && typeof m === "object" && typeof (m as JsonObject).group === "string" && Number.isSafeInteger((m as JsonObject).groupId));
    if (!valid) throw badRequest('"groupMappings" must list {"group", "groupId"} (a Satchel group id).', "invalid_group_mappings");
    settings.groupMappings = (mappings as { group: string; groupId: number }[]).map(({ group, groupId }) => ({ group, groupId }));
  }
  settings.loginExpression = loginExpression(body, creating);
  const defaultRole = body.defaultRole ?? (creating ? "ROLE_USER" : undefined);
  if (defaultRole !== undefined) {
    if (!isRole(defaultRole)) throw badRequest('"defaultRole" must be a role.', "invalid_roles");
    settings.defaultRole = defaultRole;
  }
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** The claim expression, parsed once here so a broken one is never stored: 422 with its position. */
function loginExpression(body: JsonObject, creating: boolean): string | null | undefined {
  const value = body.loginExpression;
  if (value === undefined) return creating ? null : undefined;
  if (value === null || (typeof value === "string" && value.trim() === "")) return null;
  if (typeof value !== "string") throw badRequest('"loginExpression" must be a string.', "invalid_login_expression");
  try {
    parseLoginExpression(value);
  } catch (error) {
    if (error instanceof LoginExpressionError) throw new AppError(422, "invalid_login_expression", `"loginExpression": ${error.message}.`);
    throw error;
  }
  return value.trim();
}

export function stringList(body: JsonObject, field: string, creating: boolean, valid: (value: string) => boolean): string[] | undefined {
  const value = body[field];
  if (value === undefined) return creating ? [] : undefined;
  if (!Array.isArray(value) || value.length > 100 || !value.every((item) => typeof item === "string" && valid(item.toLowerCase()))) throw badRequest(`"${field}" is not a valid list.`, `invalid_${field}`);
  return field === "allowedDomains" ? value.map((item: string) => item.toLowerCase()) : value;
}

export function providerView(provider: IdentityProvider) {
  return {
    id: provider.id,
    slug: provider.slug,
    name: provider.name,
    kind: provider.kind,
    issuer: provider.issuer,
    clientId: provider.clientId,
    scopes: provider.scopes,
    allowSignUp: provider.allowSignUp,
    allowedDomains: provider.allowedDomains,
    requiredGroups: provider.requiredGroups,
    groupsClaim: provider.groupsClaim,
    roleMappings: provider.roleMappings,
    defaultRole: provider.defaultRole,
    groupMappings: provider.groupMappings,
    loginExpression: provider.loginExpression,
    createdAt: new Date(provider.createdAt).toISOString(),
  };
}
