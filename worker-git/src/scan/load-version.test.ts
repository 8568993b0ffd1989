// loadVersion validates a blob once and builds entries from a shared template: every entry must
// be byte for byte what validating and building that ref on its own gives (keys in order too).
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../../src/composer-rules/php-values.ts";
import { validateComposerJson } from "../../../src/composer-rules/validate-composer-json.ts";
import { buildVersionEntry } from "../../../src/composer-rules/version-entry.ts";
import { loadVersion, PACKAGIST_LOADER_FLAGS, type LoadFacts } from "./load-version.ts";
import { ScanCache } from "./scan-cache.ts";

const NOW = new Date("2026-12-01T00:00:00Z");

function facts(version: string, commit: string, extra: Partial<LoadFacts> = {}): LoadFacts {
  return {
    packageName: "acme/lib",
    source: { type: "git", url: "https://example.com/acme/lib.git", reference: commit },
    distReference: commit,
    distUrl: (name) => `https://dist/${name}/${commit}.zip`,
    now: NOW,
    kind: "tag",
    version,
    versionNormalized: `${version}.0`,
    isDefaultBranch: false,
    ...extra,
  };
}

/** The same ref validated and built on its own, without placeholders or templates. */
function onItsOwn(data: JsonObject, f: LoadFacts): string {
  const input: JsonObject = { ...data, name: "acme/lib", version: f.version, source: { ...f.source } };
  if (!data.time && f.commitTime) input.time = f.commitTime;
  const { errors, warnings, config } = validateComposerJson(input, { now: f.now, flags: PACKAGIST_LOADER_FLAGS });
  if (errors.length > 0 || (f.kind === "branch" && warnings.length > 0)) return "refused";
  return JSON.stringify(buildVersionEntry({
    composer: config,
    version: f.version,
    versionNormalized: f.versionNormalized,
    source: f.source,
    dist: { type: "zip", url: f.distUrl("acme/lib"), reference: f.source.reference, shasum: "" },
    isDefaultBranch: f.isDefaultBranch,
  }));
}

describe("loadVersion", () => {
  const blobs: Record<string, JsonObject> = {
    plain: { name: "acme/lib", description: "d", license: "MIT", require: { php: ">=8.1" }, authors: [{ name: "A" }] },
    timed: { name: "acme/lib", time: "2020-01-02 03:04:05", keywords: ["b", "a"], extra: { x: [1] } },
    selfSuggest: { name: "acme/lib", suggest: { "acme/extra": "self.version" }, require: { "acme/dep": "self.version" } },
    badLicense: { name: "acme/lib", license: "foo bar" },
  };

  it("gives every ref of a blob exactly the entry it would get on its own", async () => {
    const cache = await ScanCache.open(null);
    const refs = [
      facts("1.0.0", "a".repeat(40), { commitTime: "2019-05-05T05:05:05+00:00" }),
      facts("1.1.0", "b".repeat(40), { commitTime: "2026-11-30T00:00:00+00:00" }),
      facts("dev-main", "c".repeat(40), { kind: "branch", isDefaultBranch: true, commitTime: "2026-11-30T00:00:00+00:00" }),
      facts("dev-old", "d".repeat(40), { kind: "branch", commitTime: "2018-01-01T00:00:00+00:00" }),
    ];
    for (const [id, data] of Object.entries(blobs)) {
      for (const f of refs) {
        const loaded = loadVersion({ id, data }, f, cache);
        expect(typeof loaded === "string" ? "refused" : JSON.stringify(loaded.entry), `${id} at ${f.version}`).toBe(onItsOwn(data, f));
      }
    }
    // A bad license only matters for a recent release: the recent branch is refused, the old one not.
    expect(loadVersion({ id: "badLicense", data: blobs.badLicense }, refs[2], cache)).toMatch(/SPDX/);
    expect(typeof loadVersion({ id: "badLicense", data: blobs.badLicense }, refs[3], cache)).toBe("object");
  });

  it("does not reuse a license verdict once a release with its own time is no longer recent", async () => {
    const cache = await ScanCache.open(null);
    const data: JsonObject = { name: "acme/lib", license: "foo bar", time: "2026-11-30T00:00:00+00:00" };
    const branch = (now: Date) => ({ ...facts("dev-x", "f".repeat(40), { kind: "branch" }), now });
    expect(loadVersion({ id: "timed", data }, branch(NOW), cache)).toMatch(/SPDX/);
    const later = branch(new Date("2027-01-01T00:00:00Z"));
    expect(typeof loadVersion({ id: "timed", data }, later, cache)).toBe("object");
    expect(onItsOwn(data, later)).not.toBe("refused");
  });

  it("refuses a version that does not normalize with Composer's message", async () => {
    const loaded = loadVersion({ id: "x", data: blobs.plain }, facts("not a version", "e".repeat(40), { commitTime: "2026-12-01T00:00:00+00:00" }), await ScanCache.open(null));
    expect(loaded).toMatch(/^invalid composer.json: version : invalid value \(not a version\)/);
  });
});
