// Which Satchel user a verified provider identity is: its linked user, a user linking it now,
// or (when the provider allows sign-up) a new user. The login restriction and the group-to-role
// mapping are decided before anything is written: a refused identity changes nothing.
import { loadPrincipal } from "../auth/principal.ts";
import { ROLES, isRole, type Role } from "../auth/roles.ts";
import type { Services } from "../services.ts";
import { saveUser } from "../users/user-store.ts";
import { USERNAME_PATTERN } from "../users/user-input.ts";
import type { IdentityProvider, IdentityProviderStore } from "./identity-provider-store.ts";
import { loginAllowed, parseLoginExpression } from "./login-expression.ts";

export type AccountOutcome =
  | { ok: true; userId: number; created: boolean; linked: boolean }
  | { ok: false; status: 403; message: string; reason: string };

const refuse = (message: string, reason: string): AccountOutcome => ({ ok: false, status: 403, message, reason });

export async function resolveAccount(services: Services, store: IdentityProviderStore, provider: IdentityProvider, claims: Record<string, unknown>, linkUserId: number | null): Promise<AccountOutcome> {
  const subject = String(claims.sub);
  const restriction = restrictionProblem(provider, claims);
  if (restriction) return refuse(restriction, "login restriction");
  const linkedTo = await store.linkedUser(provider.id, subject);
  const now = services.now();

  if (linkUserId !== null) {
    if (linkedTo !== null && linkedTo !== linkUserId) return refuse(`This ${provider.name} identity is already linked to another Satchel account.`, "linked elsewhere");
    const linked = linkedTo === null && (await store.link(provider.id, subject, linkUserId, now));
    return { ok: true, userId: linkUserId, created: false, linked };
  }

  const role = mappedRole(provider, claims);
  const groups = mappedGroups(provider, claims);
  if (linkedTo !== null) {
    const user = await loadPrincipal(services.db, linkedTo);
    if (!user || user.disabled || (user.expiresAt !== null && user.expiresAt <= now)) return refuse("This account is disabled or has expired.", "account disabled");
    // Mapped roles and groups follow the provider's groups at every sign-in.
    const roles = provider.roleMappings.length > 0 && (user.roles.length !== 1 || user.roles[0] !== role) ? { roles: [role] } : {};
    const memberships = groups && groups.join() !== [...user.groupIds].sort((a, b) => a - b).join() ? { groups } : {};
    if (Object.keys(roles).length + Object.keys(memberships).length > 0) await saveUser(services, linkedTo, { ...roles, ...memberships });
    return { ok: true, userId: linkedTo, created: false, linked: false };
  }
  if (!provider.allowSignUp) {
    return refuse(`No Satchel account is linked to this ${provider.name} identity. Sign in with your password and link it on your account page, or ask an admin.`, "no linked account");
  }
  const email = verifiedEmail(claims);
  const userId = await createUser(services, usernameCandidates(provider, claims), email, role, groups ?? []);
  await store.link(provider.id, subject, userId, now);
  return { ok: true, userId, created: true, linked: true };
}

/** Allowed email domains, required groups and the claim expression; null when the identity may sign in. */
function restrictionProblem(provider: IdentityProvider, claims: Record<string, unknown>): string | null {
  if (provider.allowedDomains.length > 0) {
    const email = verifiedEmail(claims);
    const domain = email?.slice(email.lastIndexOf("@") + 1).toLowerCase();
    if (!domain || !provider.allowedDomains.includes(domain)) return `Only verified email addresses at ${provider.allowedDomains.join(", ")} may sign in with ${provider.name}.`;
  }
  if (provider.requiredGroups.length > 0 && !groupsOf(provider, claims).some((group) => provider.requiredGroups.includes(group))) {
    return `Your ${provider.name} identity is in none of the groups allowed to sign in.`;
  }
  // Checked when saved, so it parses; its result decides (a missing claim is null, never an error).
  if (provider.loginExpression && !loginAllowed(parseLoginExpression(provider.loginExpression), claims)) {
    return `Your ${provider.name} identity does not meet this provider's sign-in rule.`;
  }
  return null;
}

/** The highest role any of the identity's groups maps to; the provider's default otherwise. */
function mappedRole(provider: IdentityProvider, claims: Record<string, unknown>): Role {
  const groups = groupsOf(provider, claims);
  const mapped = provider.roleMappings.filter((mapping) => groups.includes(mapping.group)).map((mapping) => mapping.role).filter(isRole);
  const best = ROLES.find((role) => mapped.includes(role));
  return best ?? (isRole(provider.defaultRole) ? provider.defaultRole : "ROLE_USER");
}

/** The Satchel groups the identity's groups map to (sorted); null when the provider maps none. */
function mappedGroups(provider: IdentityProvider, claims: Record<string, unknown>): number[] | null {
  if (provider.groupMappings.length === 0) return null;
  const groups = groupsOf(provider, claims);
  return [...new Set(provider.groupMappings.filter((mapping) => groups.includes(mapping.group)).map((mapping) => mapping.groupId))].sort((a, b) => a - b);
}

function groupsOf(provider: IdentityProvider, claims: Record<string, unknown>): string[] {
  const value = claims[provider.groupsClaim];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === "string") : [];
}

function verifiedEmail(claims: Record<string, unknown>): string | null {
  return typeof claims.email === "string" && claims.email_verified === true ? claims.email : null;
}

function usernameCandidates(provider: IdentityProvider, claims: Record<string, unknown>): string[] {
  const raw = [claims.preferred_username, typeof claims.email === "string" ? claims.email.split("@")[0] : undefined, `${provider.slug}-${String(claims.sub)}`];
  const base = raw.map((value) => (typeof value === "string" ? value.replace(/[^A-Za-z0-9._@-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 56) : "")).find((value) => USERNAME_PATTERN.test(value)) ?? `${provider.slug}-user`;
  return [base, ...Array.from({ length: 4 }, (_, i) => `${base}-${i + 2}`), `${base}-${crypto.randomUUID().slice(0, 6)}`];
}

async function createUser(services: Services, candidates: string[], email: string | null, role: Role, groups: number[]): Promise<number> {
  for (const [i, username] of candidates.entries()) {
    try {
      return await saveUser(services, null, { username, email, roles: [role], groups });
    } catch (error) {
      // A taken name: try the next one.
      if (i === candidates.length - 1 || !String((error as Error).message).includes("taken")) throw error;
    }
  }
  throw new Error("unreachable");
}
