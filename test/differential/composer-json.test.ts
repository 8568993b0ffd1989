// Differential test: Composer's own ValidatingArrayLoader/ArrayLoader/ArrayDumper and
// MetadataMinifier (Debian's /usr/share/php/Composer, run by composer-json-oracle.php in ONE php
// process) against validateComposerJson, buildVersionEntry and minify/expand, on a seeded corpus.
import { describe, expect, it } from "vitest";
import { expandVersions, minifyVersions } from "../../src/composer-rules/minify.ts";
import { validateComposerJson } from "../../src/composer-rules/validate-composer-json.ts";
import { buildVersionEntry, type VersionEntry } from "../../src/composer-rules/version-entry.ts";
import { buildCorpus, prng, type CorpusCase } from "./composer-json-corpus.ts";
import { requireOracle, runOracle, asPhpJson } from "./php-oracle.ts";

interface ValidateReply {
  id: string;
  valid: boolean;
  errors: string[];
  warnings: string[];
  crash: string | null;
  dump: Record<string, unknown> | null;
}

interface MinifyReply {
  id: string;
  minified: unknown[];
  expanded: unknown[];
}

const PUBLISHED_KEYS: ReadonlyArray<keyof VersionEntry> = [
  "name", "description", "keywords", "homepage", "version", "version_normalized", "license", "authors", "source",
  "dist", "type", "support", "funding", "time", "autoload", "extra", "target-dir", "include-path", "bin",
  "default-branch", "require", "require-dev", "suggest", "conflict", "provide", "replace", "abandoned",
];
// Lists where PHP keeps the gaps unset() leaves (and so prints an object); we publish a list.
const LIST_KEYS = new Set(["keywords", "license", "authors", "funding", "include-path", "bin"]);


// Errors only we report: values Composer's loader would crash on (it never gets to list them
// when validation already failed), and our deliberate extra rules.
const OUR_OWN_ERRORS = /^(?:notification-url|autoload-dev|installation-source|archive\.\w+|bin\.\w+ : must be a string, |license[ .]|name : .* (?:is a platform package name|is longer than)|(?:require|require-dev|conflict|provide|replace)\.0 : invalid key, a link needs)/;
// PHP's DateTime adds where parsing stopped; the rest of the message is the same.
const withoutParsePosition = (message: string) => message.replace(/(Failed to parse time string \(.*\)) at position .*$/s, "$1");
// Warnings that differ by design: we check SPDX syntax, not the SPDX list; we flag odd `abandoned`.
const comparableWarnings = (warnings: string[]) => warnings.filter((w) => !w.startsWith("License ") && !w.startsWith("abandoned :"));

function ours(c: CorpusCase): { valid: boolean; errors: string[]; entry: VersionEntry | null } {
  const { errors, config } = validateComposerJson(JSON.parse(c.json));
  if (errors.length > 0) return { valid: false, errors, entry: null };
  const { facts } = c;
  const entry = buildVersionEntry({
    composer: config, version: facts.version, versionNormalized: facts.version_normalized,
    source: facts.source, dist: facts.dist, time: facts.time, isDefaultBranch: facts.default_branch,
  });
  return { valid: true, errors, entry };
}

describe("composer.json: validateComposerJson + buildVersionEntry vs Composer's PHP", () => {
  const corpus = buildCorpus();

  it("has a corpus of at least 500 documents", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
  });

  it.runIf(requireOracle("composer.json differential"))("same error and warning messages", () => {
    const replies = runOracle<ValidateReply>({ mode: "validate", cases: corpus });
    let compared = 0;
    corpus.forEach((c, index) => {
      const php = replies[index];
      if (php.crash !== null || c.deviation) return; // a crash has no message list to compare
      const mine = validateComposerJson(JSON.parse(c.json));
      expect(mine.errors.filter((e) => !OUR_OWN_ERRORS.test(e)), c.json).toEqual(php.errors.map(withoutParsePosition));
      expect(comparableWarnings(mine.warnings), c.json).toEqual(comparableWarnings(php.warnings));
      compared++;
    });
    expect(compared).toBeGreaterThan(800);
  });

  it.runIf(requireOracle("composer.json differential"))("same verdict, and the same published fields when valid", () => {
    const replies = runOracle<ValidateReply>({ mode: "validate", cases: corpus });
    const byId = new Map(replies.map((reply) => [reply.id, reply]));
    const mismatches: string[] = [];
    let validCount = 0;
    for (const c of corpus) {
      const php = byId.get(c.id);
      if (!php) throw new Error(`no oracle reply for ${c.id}`);
      const mine = ours(c);
      const why = () => `${c.id} ${c.json}\n  php: ${php.crash ?? JSON.stringify(php.errors)}\n  ours: ${JSON.stringify(mine.errors)}`;
      if (c.deviation) {
        if (!php.valid || mine.valid !== c.deviation.oursValid) mismatches.push(`deviation no longer as documented: ${why()}`);
        continue;
      }
      if (php.valid !== mine.valid) {
        mismatches.push(`verdict differs: ${why()}`);
        continue;
      }
      if (!php.valid || !php.dump || !mine.entry) continue;
      validCount++;
      const entry = mine.entry as Record<string, unknown>;
      for (const key of PUBLISHED_KEYS) {
        let expected = asPhpJson(php.dump[key]);
        if (LIST_KEYS.has(key) && expected && typeof expected === "object" && !Array.isArray(expected)) expected = Object.values(expected);
        const actual = asPhpJson(entry[key]);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          mismatches.push(`${c.id} "${key}": php ${JSON.stringify(expected)} / ours ${JSON.stringify(actual)}\n  ${c.json}`);
        }
      }
    }
    expect(mismatches, mismatches.slice(0, 25).join("\n")).toEqual([]);
    // The corpus must keep exercising both sides of the verdict.
    expect(validCount).toBeGreaterThan(150);
    expect(corpus.length - validCount).toBeGreaterThan(150);
  });
});

function versionLists(): Array<{ id: string; json: string }> {
  const random = prng(0xc0ffee);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const values: unknown[] = ["a", "b", 1, 2, true, false, [], ["x"], ["x", "y"], { a: 1 }, { a: 1, b: 2 }, { b: 2, a: 1 }, { a: { b: [1] } }, ""];
  const keys = ["name", "version", "require", "extra", "type", "time", "license", "dist", "k1", "k2"];
  const lists: Array<{ id: string; json: string }> = [];
  for (let i = 0; i < 150; i++) {
    const list: Array<Record<string, unknown>> = [];
    const n = Math.floor(random() * 7);
    for (let v = 0; v < n; v++) {
      const version: Record<string, unknown> = {};
      for (const key of keys) if (random() < 0.6) version[key] = pick(values);
      list.push(version);
    }
    lists.push({ id: `versions-${i}`, json: JSON.stringify(list) });
  }
  return lists;
}

describe("minify/expand vs composer/metadata-minifier", () => {
  it.runIf(requireOracle("metadata-minifier differential"))("minifies and expands exactly as the PHP library", () => {
    const cases = versionLists();
    const replies = new Map(runOracle<MinifyReply>({ mode: "minify", cases }).map((reply) => [reply.id, reply]));
    for (const c of cases) {
      const versions = JSON.parse(c.json) as Array<Record<string, unknown>>;
      const php = replies.get(c.id);
      const minified = minifyVersions(versions);
      expect(JSON.stringify(asPhpJson(minified)), c.json).toBe(JSON.stringify(asPhpJson(php?.minified)));
      expect(JSON.stringify(asPhpJson(expandVersions(minified))), c.json).toBe(JSON.stringify(asPhpJson(php?.expanded)));
    }
  });
});
