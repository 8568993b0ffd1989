// The duplicate-tag index must agree with Composer's linear findPackage() exactly.
import { describe, expect, it } from "vitest";
import { Constraint, parseConstraints } from "../../../src/composer-rules/constraints.ts";
import { phpVersionCompare } from "../../../src/composer-rules/version-compare.ts";
import { normalize } from "../../../src/composer-rules/version-parser.ts";
import { TagIndex, versionEqualityKey } from "./tag-index.ts";

const RAW = [
  "1.0.0", "1.0", "01.0.0", "1.00.0", "1.0.0.0", "1.0.0-beta1", "1.0.0-b1", "1.0.0-BETA1", "1.0.0-RC1", "1.0.0-rc1",
  "1.0.0-alpha", "1.0.0-a", "1.0.0-patch1", "1.0.0-pl1", "1.0.0-p1", "20240101", "2024.01.01", "2024-01-01",
  "1.0.0-dev", "1.0.0.1", "99999.0", "v1.0.0", "1.0.0+build",
];

describe("versionEqualityKey", () => {
  it("gives two versions the same key exactly when version_compare() finds them equal", () => {
    const versions = [...RAW, ...RAW.map((v) => { try { return normalize(v); } catch { return v; } }), "1.0.0.0-foo", "1.0.0.0-bar", "1..0", "1.0.#", "abc", "1.0.0.0-beta"];
    for (const a of versions) {
      for (const b of versions) {
        const ka = versionEqualityKey(a);
        const kb = versionEqualityKey(b);
        if (ka === null || kb === null) continue;
        expect(ka === kb, `${a} vs ${b}`).toBe(phpVersionCompare(a, b) === 0);
      }
    }
  });
});

describe("TagIndex", () => {
  it("finds the first matching tag of the same name, as a linear findPackage() would", () => {
    const index = new TagIndex();
    const tags: Array<[string, string, string]> = [["acme/a", "1.0.0", "1.0.0.0"], ["acme/b", "01.0", "01.0.0.0"], ["ACME/A", "v2", "2.0.0.0"], ["acme/a", "01.0.0", "01.0.0.0"]];
    for (const [name, version, normalized] of tags) index.add(name, version, normalized);
    const linear = (name: string, constraint: ReturnType<typeof parseConstraints>) =>
      tags.find(([n, , normalized]) => n.toLowerCase() === name.toLowerCase() && constraint.matches(new Constraint("==", normalized)))?.[1];
    for (const name of ["acme/a", "Acme/A", "acme/b", "acme/c"]) {
      for (const version of ["1.0.0.0", "01.0.0.0", "2.0.0.0", "2.0.0.0-beta1", "1.0.0.0-dev"]) {
        const constraint = parseConstraints(version);
        expect(index.find(name, constraint)?.version, `${name} ${version}`).toBe(linear(name, constraint));
      }
    }
  });
});
