import { describe, expect, it } from "vitest";
import type { Grant, Principal } from "../auth/principal.ts";
import { scopesOfRoles, type Role } from "../auth/roles.ts";
import { ALL_VERSIONS, canSeePackage, grantMatches, versionFilterFor } from "./visibility.ts";

function principal(roles: Role[], grants: Grant[] = [], expiredUpdatesAt: number | null = null): Principal {
  return { userId: 1, username: "u", roles, serviceAccount: false, expiresAt: null, expiredUpdatesAt, disabled: false, grants, groupIds: [], aclClock: 0, scopes: scopesOfRoles(roles) };
}
const grant = (pattern: string, constraint: string | null = null, notAfter: number | null = null): Grant => ({ pattern, constraint, notAfter });
const privatePkg = { name: "acme/lib", isPublic: false };

describe("grantMatches", () => {
  it("matches a name exactly or a vendor wildcard, nothing looser", () => {
    expect(grantMatches("acme/lib", "acme/lib")).toBe(true);
    expect(grantMatches("acme/*", "acme/lib")).toBe(true);
    expect(grantMatches("acme/*", "acme-evil/lib")).toBe(false);
    expect(grantMatches("acme/lib", "acme/library")).toBe(false);
  });
});

describe("versionFilterFor", () => {
  it("hides a private package from a customer without a grant (null: it does not exist for them)", () => {
    expect(versionFilterFor(principal(["ROLE_USER"]), privatePkg)).toBeNull();
    expect(canSeePackage(principal(["ROLE_USER"]), privatePkg)).toBe(false);
  });

  it("shows everything to maintainers and admins, and public packages to everyone", () => {
    expect(versionFilterFor(principal(["ROLE_MAINTAINER"]), privatePkg)).toBe(ALL_VERSIONS);
    expect(versionFilterFor(principal(["ROLE_USER"]), { name: "acme/lib", isPublic: true })).toBe(ALL_VERSIONS);
  });

  it("still freezes a user's own license expiry on packages they see in full", () => {
    expect(versionFilterFor(principal(["ROLE_USER"], [], 1000), { name: "acme/lib", isPublic: true })).toEqual({ all: false, key: expect.any(String), alternatives: [{ constraint: null, notAfter: 1000 }] });
  });

  it("keeps one alternative per matching grant, the earlier of group and user freeze, and a stable key", () => {
    const user = principal(["ROLE_USER"], [grant("acme/*", "^1.0", 5000), grant("acme/lib", "^2.0"), grant("other/*")], 3000);
    const filter = versionFilterFor(user, privatePkg);
    expect(filter?.all).toBe(false);
    if (!filter || filter.all) throw new Error("expected a restricted filter");
    expect(filter.alternatives).toEqual([
      { constraint: "^1.0", notAfter: 3000 },
      { constraint: "^2.0", notAfter: 3000 },
    ]);
    const reordered = principal(["ROLE_USER"], [grant("acme/lib", "^2.0"), grant("acme/*", "^1.0", 5000)], 3000);
    expect(versionFilterFor(reordered, privatePkg)).toEqual(filter);
  });

  it("widens to every version when one grant has neither constraint nor freeze", () => {
    expect(versionFilterFor(principal(["ROLE_USER"], [grant("acme/*", "^1.0"), grant("acme/lib")]), privatePkg)).toBe(ALL_VERSIONS);
  });
  it("keeps a group's restrictions on its alternatives, in the key, and never widens a restricted grant to everything", () => {
    const restricted: Grant = { pattern: "acme/lib", constraint: null, notAfter: null, restrictions: { hideSources: true, hideDevVersions: false, minimumStability: "stable" } };
    const filter = versionFilterFor(principal(["ROLE_USER"], [restricted]), privatePkg);
    expect(filter).toMatchObject({ all: false, alternatives: [{ constraint: null, notAfter: null, hideSources: true, minimumStability: "stable" }] });
    const plain = versionFilterFor(principal(["ROLE_USER"], [grant("acme/lib", "^1.0")]), privatePkg);
    const plainRestricted = versionFilterFor(principal(["ROLE_USER"], [{ ...grant("acme/lib", "^1.0"), restrictions: { hideSources: true, hideDevVersions: false, minimumStability: null } }]), privatePkg);
    expect(plain?.key).not.toBe(plainRestricted?.key);
    // An unrestricted grant in another group still opens everything.
    expect(versionFilterFor(principal(["ROLE_USER"], [restricted, grant("acme/*")]), privatePkg)).toBe(ALL_VERSIONS);
    // Admins and public packages are not narrowed by group restrictions.
    expect(versionFilterFor(principal(["ROLE_MAINTAINER"], [restricted]), privatePkg)).toBe(ALL_VERSIONS);
    expect(versionFilterFor(principal(["ROLE_USER"], [restricted]), { name: "acme/lib", isPublic: true })).toBe(ALL_VERSIONS);
  });
});
