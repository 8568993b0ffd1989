// Tag and branch names to versions (VcsRepository::initialize(), validateTag(), validateBranch()).
import { describe, expect, it } from "vitest";
import { branchVersion, gitDriverIgnoresBranch, hasDevAffix, isBotBranch, tagVersionName, validateBranch, validateTag, withoutDevAffixes, withoutDevSuffix } from "./ref-versions.ts";

const branch = (name: string) => {
  const parsed = validateBranch(name);
  return parsed === null ? null : branchVersion(name, parsed);
};

describe("ref-versions", () => {
  it("strips every `release-`, as str_replace() does", () => {
    expect(tagVersionName("release-1.0.0")).toBe("1.0.0");
    expect(tagVersionName("1.5.0-release-beta1")).toBe("1.5.0-beta1");
    expect(tagVersionName("release-release-2")).toBe("2");
  });

  it("normalizes tags, and strips dev affixes as tags may not carry them", () => {
    expect(validateTag("v1.2")).toBe("1.2.0.0");
    expect(validateTag("latest")).toBeNull();
    expect(withoutDevSuffix("1.0.0-dev")).toBe("1.0.0");
    expect(withoutDevSuffix("1.0.0.DEV")).toBe("1.0.0");
    expect(withoutDevAffixes("dev-foo")).toBe("foo");
    expect(withoutDevAffixes("1.0.0.0-dev")).toBe("1.0.0.0");
    expect(hasDevAffix("dev-foo")).toBe(true);
    expect(hasDevAffix("1.0.0.0")).toBe(false);
  });

  it("versions branches: numeric ones as x-dev (keeping a lowercase v), others dev-, # as +", () => {
    expect(branch("1.x")).toEqual({ version: "1.x-dev", versionNormalized: "1.9999999.9999999.9999999-dev" });
    expect(branch("2.0")).toEqual({ version: "2.0.x-dev", versionNormalized: "2.0.9999999.9999999-dev" });
    expect(branch("v3.x")?.version).toBe("v3.x-dev");
    expect(branch("V3.x")?.version).toBe("3.x-dev");
    expect(branch("1.2.3.4")?.version).toBe("1.2.3.4-dev");
    expect(branch("main")).toEqual({ version: "dev-main", versionNormalized: "dev-main" });
    expect(branch("feat#12")).toEqual({ version: "dev-feat+12", versionNormalized: "dev-feat+12" });
    expect(branch("a,b")).toBeNull();
    expect(branch("a|b")).toBeNull();
  });

  it("knows the branch names Composer's git driver never lists, and packagist's bot branches", () => {
    expect(gitDriverIgnoresBranch("-x")).toBe(true);
    expect(gitDriverIgnoresBranch("origin/HEAD")).toBe(true);
    expect(gitDriverIgnoresBranch("a/b/HEAD")).toBe(false);
    for (const name of ["dependabot/npm/x", "renovate/y", "gh-readonly-queue/main/pr-1", "gh-pages"]) expect(isBotBranch(name)).toBe(true);
    expect(isBotBranch("gh-pages-2")).toBe(false);
  });
});
