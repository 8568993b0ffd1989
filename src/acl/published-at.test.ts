import { describe, expect, it } from "vitest";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { filterVersions } from "./filter-versions.ts";
import { publishedAt, publishedTimesOf } from "./published-at.ts";
import type { VersionFilter } from "./visibility.ts";

const entry = (version: string, time?: string) => ({ name: "acme/lib", version, version_normalized: `${version}.0`, type: "library", ...(time ? { time } : {}) }) as VersionEntry;
const FIRST_SEEN = Date.parse("2026-03-01T00:00:00Z");
const frozenAt = (date: string): VersionFilter => ({ all: false, key: date, alternatives: [{ constraint: null, notAfter: Date.parse(date) }] });

describe("publishedAt", () => {
  it("is the upload time for an upload, whatever the archive claims", () => {
    expect(publishedAt("artifact", entry("4.0.0", "2019-06-01T00:00:00+00:00"), FIRST_SEEN)).toBe(FIRST_SEEN);
  });

  it("is the earlier of commit time and first-seen time for a VCS version", () => {
    expect(publishedAt("vcs", entry("1.0.0", "2019-06-01T00:00:00+00:00"), FIRST_SEEN)).toBe(Date.parse("2019-06-01T00:00:00Z"));
    expect(publishedAt("vcs", entry("1.0.0", "2030-01-01T00:00:00+00:00"), FIRST_SEEN)).toBe(FIRST_SEEN);
    expect(publishedAt("vcs", entry("1.0.0"), FIRST_SEEN)).toBe(FIRST_SEEN);
  });
});

describe("filterVersions under a freeze", () => {
  const versions = [entry("1.0.0", "2019-01-01T00:00:00+00:00"), entry("4.0.0", "2019-06-01T00:00:00+00:00")];

  it("compares the publish time, not the entry's own time", () => {
    const times = publishedTimesOf("artifact", [
      { entry: versions[0] as VersionEntry, createdAt: Date.parse("2020-01-01T00:00:00Z") },
      { entry: versions[1] as VersionEntry, createdAt: FIRST_SEEN },
    ]);
    expect(filterVersions(versions, frozenAt("2020-06-01"), times).map((v) => v.version)).toEqual(["1.0.0"]);
  });

  it("falls back to the entry's time only for a version without a known publish time", () => {
    expect(filterVersions(versions, frozenAt("2020-06-01"), new Map()).map((v) => v.version)).toEqual(["1.0.0", "4.0.0"]);
  });
});
