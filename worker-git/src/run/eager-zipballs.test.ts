import { describe, expect, it } from "vitest";
import { normalize } from "../../../src/composer-rules/version-parser.ts";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import type { ScannedVersion } from "../scan/scan-result.ts";
import { BUILD_ALL_UP_TO, eagerVersions } from "./eager-zipballs.ts";

let commits = 0;
const scanned = (version: string, options: { branch?: boolean; defaultBranch?: boolean; standIn?: boolean } = {}): ScannedVersion => {
  const commit = (++commits).toString(16).padStart(40, "0");
  const entry = { name: "acme/big", version, version_normalized: options.branch ? "9999999-dev" : normalize(version), ...(options.defaultBranch ? { "default-branch": true } : {}) } as VersionEntry;
  return { entry, kind: options.branch ? "branch" : "tag", ref: version, commit, distReference: options.standIn ? `svn-${commit}` : commit, archiveExcludes: [] };
};
const versionsOf = (set: Set<ScannedVersion>) => [...set].map((version) => version.entry.version).sort();

describe("eagerVersions", () => {
  it(`builds every zipball of a repository with up to ${BUILD_ALL_UP_TO} versions`, () => {
    const versions = Array.from({ length: BUILD_ALL_UP_TO }, (_, i) => scanned(`1.0.${i}`));
    expect(eagerVersions(versions).size).toBe(BUILD_ALL_UP_TO);
  });

  it("in a large repository, builds the newest and newest stable release of each major line and the default branch only", () => {
    const tags = [1, 2, 3].flatMap((major) => Array.from({ length: 30 }, (_, i) => scanned(`v${major}.${Math.floor(i / 10)}.${i % 10}`)));
    const extra = [scanned("v3.3.0-RC1"), scanned("dev-main", { branch: true, defaultBranch: true }), scanned("dev-feature", { branch: true })];
    expect(versionsOf(eagerVersions([...tags, ...extra]))).toEqual(["dev-main", "v1.2.9", "v2.2.9", "v3.2.9", "v3.3.0-RC1"]);
  });

  it("always builds a version whose dist reference is not its commit (svn's stand-ins cannot be archived later)", () => {
    const versions = Array.from({ length: BUILD_ALL_UP_TO + 10 }, (_, i) => scanned(`1.0.${i}`, { standIn: true }));
    expect(eagerVersions(versions).size).toBe(versions.length);
  });
});
