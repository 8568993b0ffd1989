// A request inside a sub-repository sees only that sub-repository's packages: its principal
// carries the sub-repository's patterns, and every visibility decision (visibility.ts) first
// asks whether the package is inside. Public packages and admins' rights stop at its edge too.
import type { Principal } from "../auth/principal.ts";
import { grantMatches } from "./visibility.ts";

/** Whether a package name is one of these `vendor/name` or `vendor/*` patterns. */
export function patternsInclude(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => grantMatches(pattern, name));
}

/** True outside any sub-repository; inside one, only for its packages. */
export function withinSubrepository(principal: Pick<Principal, "subrepository">, name: string): boolean {
  return principal.subrepository === undefined || patternsInclude(principal.subrepository.patterns, name);
}

/** Names whose view this principal shares: the same user sees different lists in the root and in each sub-repository. */
export function viewerKey(principal: Pick<Principal, "userId" | "subrepository">): string {
  return principal.subrepository === undefined ? String(principal.userId) : `${principal.userId}@sub${principal.subrepository.id}`;
}
