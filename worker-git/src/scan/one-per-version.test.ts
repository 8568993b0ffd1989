import { describe, expect, it } from "vitest";
import type { ScannedVersion } from "./scan-result.ts";
import { onePerNormalizedVersion } from "./one-per-version.ts";

const version = (ref: string, pretty: string, normalized: string, time?: string): ScannedVersion => ({
  entry: { name: "acme/lib", version: pretty, version_normalized: normalized, type: "library", ...(time ? { time } : {}) },
  kind: "branch",
  ref,
  commit: ref,
  distReference: ref,
  archiveExcludes: [],
});

describe("onePerNormalizedVersion", () => {
  it("keeps the oldest of versions that normalize alike (case aside), as packagist.org does", () => {
    const upper = version("1.X", "1.x-dev", "1.9999999.9999999.9999999-dev", "2024-01-01T00:00:00+00:00");
    const lower = version("1.x", "1.x-dev", "1.9999999.9999999.9999999-dev", "2023-01-01T00:00:00+00:00");
    const fooUpper = version("Foo", "dev-Foo", "dev-Foo", "2022-01-01T00:00:00+00:00");
    const foo = version("foo", "dev-foo", "dev-foo", "2022-06-01T00:00:00+00:00");
    const main = version("main", "dev-main", "dev-main");
    const { kept, dropped } = onePerNormalizedVersion([upper, lower, fooUpper, foo, main]);
    expect(kept).toEqual([lower, fooUpper, main]);
    expect(dropped.map((skip) => [skip.name, skip.reason])).toEqual([
      ["1.X", "duplicate of 1.x-dev (branch 1.x), as packagist.org keeps one per version"],
      ["foo", "duplicate of dev-Foo (branch Foo), as packagist.org keeps one per version"],
    ]);
  });
});
