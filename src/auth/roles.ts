// Roles (Packeton's names) and the scopes a token can carry. A token's rights are its
// owner's role rights intersected with the scopes it was created with.

export const ROLES = ["ROLE_ADMIN", "ROLE_MAINTAINER", "ROLE_FULL_CUSTOMER", "ROLE_USER"] as const;
export type Role = (typeof ROLES)[number];

/**
 * - `metadata:read`: Composer endpoints (packages.json, p2, zipballs, list, search, notify).
 * - `tokens`: list, create and revoke one's own tokens.
 * - `packages:write`: add, upload, update and delete packages; read jobs.
 * - `admin`: users, groups, credentials and everybody's tokens.
 */
export const SCOPES = ["metadata:read", "tokens", "packages:write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  ROLE_ADMIN: SCOPES,
  ROLE_MAINTAINER: ["metadata:read", "tokens", "packages:write"],
  ROLE_FULL_CUSTOMER: ["metadata:read", "tokens"],
  ROLE_USER: ["metadata:read", "tokens"],
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && (SCOPES as readonly string[]).includes(value);
}

export function scopesOfRoles(roles: readonly Role[]): Scope[] {
  return SCOPES.filter((scope) => roles.some((role) => ROLE_SCOPES[role].includes(scope)));
}

/** Roles that see every package without grants. */
export function seesAllPackages(roles: readonly Role[]): boolean {
  return roles.some((role) => role !== "ROLE_USER");
}
