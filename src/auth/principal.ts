// Who is asking, with everything the request path needs to decide visibility, loaded in one
// go and cached with the verified token (auth/token-cache.ts).
import type { Database } from "../ports.ts";
import { readAccess } from "../users/user-store.ts";
import type { TokenKind } from "./jwt.ts";
import { isRole, scopesOfRoles, type Role, type Scope } from "./roles.ts";
import { isStability, type Stability } from "../composer-rules/stability.ts";

/** What a group narrows on the packages it grants (src/acl/visibility.ts combines them). */
export interface GroupRestrictions {
  /** p2 entries lose `source`: Composer installs from the dist only. */
  hideSources: boolean;
  /** Branches are hidden. */
  hideDevVersions: boolean;
  /** Versions less stable than this are hidden (null: none). */
  minimumStability: Stability | null;
}

export interface Grant {
  /** `vendor/name` or `vendor/*` */
  pattern: string;
  constraint: string | null;
  /** Versions released after this time (ms) are hidden: the group's license expiry. */
  notAfter: number | null;
  /** The granting group's restrictions. */
  restrictions?: GroupRestrictions;
}

export interface Principal {
  userId: number;
  username: string;
  /** A service account: tokens only (no password, pages or second factor). */
  serviceAccount: boolean;
  roles: Role[];
  expiresAt: number | null;
  /** The user's own license-expiry freeze, applied on top of every grant. */
  expiredUpdatesAt: number | null;
  disabled: boolean;
  grants: Grant[];
  /** The user's groups (proxy access is granted per group). */
  groupIds: number[];
  /** Latest change-clock second of the user or any of their groups: part of Last-Modified. */
  aclClock: number;
  /** Effective scopes: role rights, narrowed by the token's scopes when a token is used. */
  scopes: Scope[];
  /** Inside a sub-repository: only its packages (`vendor/name`, `vendor/*`) exist (acl/subrepository-scope.ts). */
  subrepository?: { id: number; patterns: readonly string[] };
  /** A package-confined token (trusted publishing): the one package it may upload to and update. */
  packageWrite?: string;
  tokenId?: number;
  tokenJti?: string;
  /** Which kind of token signed this principal in: API credentials or a page session. */
  tokenKind?: TokenKind;
  /** The token's own expiry: a token it mints expires no later. */
  tokenExpiresAt?: number | null;
}

export async function loadPrincipal(db: Database, userId: number): Promise<Principal | null> {
  const access = await readAccess(db, userId);
  if (!access) return null;
  const { user, memberships, grants: grantRows } = access;
  const byGroup = new Map(memberships.map((group) => [group.id, group]));
  const roles = user.roles.filter(isRole);
  return {
    userId: user.id,
    username: user.username,
    serviceAccount: user.kind === "service",
    roles,
    expiresAt: user.expiresAt,
    expiredUpdatesAt: user.expiredUpdatesAt,
    disabled: user.disabled,
    groupIds: memberships.map((group) => group.id),
    grants: grantRows.map((grant) => ({
      pattern: grant.pattern,
      constraint: grant.versionConstraint,
      notAfter: byGroup.get(grant.groupId)?.expiredUpdatesAt ?? null,
      restrictions: restrictionsOf(byGroup.get(grant.groupId)),
    })),
    aclClock: Math.max(user.aclClock, ...memberships.map((group) => group.aclClock)),
    scopes: scopesOfRoles(roles),
  };
}

function restrictionsOf(group: { hideSources: boolean; hideDevVersions: boolean; minimumStability: string | null } | undefined): GroupRestrictions | undefined {
  if (!group || (!group.hideSources && !group.hideDevVersions && !group.minimumStability)) return undefined;
  return { hideSources: group.hideSources, hideDevVersions: group.hideDevVersions, minimumStability: isStability(group.minimumStability) ? group.minimumStability : null };
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes(scope);
}
