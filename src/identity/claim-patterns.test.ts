import { describe, expect, it } from "vitest";
import { claimPatternsProblem, claimsMatch } from "./claim-patterns.ts";

describe("claim patterns", () => {
  it("matches exact values, and * as any run of characters", () => {
    const payload = { repository: "acme/lib", ref: "refs/tags/v1.2.0", workflow_ref: "acme/lib/.github/workflows/release.yml@refs/tags/v1.2.0" };
    expect(claimsMatch({ repository: "acme/lib", ref: "refs/tags/*" }, payload)).toBe(true);
    expect(claimsMatch({ workflow_ref: "acme/lib/*/release.yml@*" }, payload)).toBe(true);
    expect(claimsMatch({ ref: "*v1.2.0" }, payload)).toBe(true);
    expect(claimsMatch({ repository: "acme/lib2" }, payload)).toBe(false);
    expect(claimsMatch({ repository: "acme/li" }, payload)).toBe(false);
    expect(claimsMatch({ ref: "refs/heads/*" }, payload)).toBe(false);
    // Pieces may not overlap: "ab*ba" is not "aba".
    expect(claimsMatch({ repository: "acme*me/lib" }, { repository: "acme/lib" })).toBe(false);
    expect(claimsMatch({ missing: "*" }, payload)).toBe(false);
    expect(claimsMatch({ repository: "*" }, { repository: ["acme/lib"] })).toBe(false);
  });

  it("refuses declarations that would trust a whole issuer or shadow the checked claims", () => {
    expect(claimPatternsProblem({ repository: "acme/lib", ref: "refs/tags/*" })).toBeNull();
    expect(claimPatternsProblem({ repository: "acme/*" })).toMatch(/exact/);
    expect(claimPatternsProblem({})).toMatch(/1 to 20/);
    expect(claimPatternsProblem({ iss: "x", repository: "acme/lib" })).toMatch(/checked by Satchel/);
    expect(claimPatternsProblem({ "bad name": "x" })).toMatch(/not a claim name/);
    expect(claimPatternsProblem({ repository: "" })).toMatch(/non-empty/);
    expect(claimPatternsProblem(null)).toMatch(/object/);
  });
});
