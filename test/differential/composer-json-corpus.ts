// The composer.json corpus of the differential test: hundreds of documents generated from a fixed
// seed (so every run and every machine sees the same ones), plus hand-written hostile cases.
import { normalize } from "../../src/composer-rules/version-parser.ts";
import { mulberry32 } from "../support/mulberry32.ts";
import { BAD_CONSTRAINTS, BAD_DATES, BAD_URLS, GOOD_CONSTRAINTS, pools, type Pool } from "./composer-json-pools.ts";
import { HOSTILE_CASES } from "./composer-json-hostile.ts";

export interface Facts {
  version: string;
  version_normalized: string;
  source?: { type: string; url: string; reference: string };
  dist?: { type: string; url: string; reference: string; shasum: string };
  time?: string;
  default_branch?: boolean;
}

export interface CorpusCase {
  id: string;
  /** composer.json text, so PHP and TypeScript decode the very same bytes. */
  json: string;
  facts: Facts;
  /** Set where we deliberately differ from Composer: the reason, and our verdict. */
  deviation?: { reason: string; oursValid: boolean };
}

export const CORPUS_SEED = 0x5a7c4e1;
export const GENERATED_DOCUMENTS = 640;

/** The corpus generator's seeded PRNG (test/support/mulberry32.ts). */
export const prng = mulberry32;

const GOOD_NAMES = ["acme/foo", "acme-corp/foo_bar", "a/b", "vendor.name/pkg--x", "v1/p2", "acme/foo.bar", "x_y/z-z"];
const BAD_NAMES = [
  "Acme/Foo", "acme", "acme/foo/bar", "acme/-foo", "acme/foo.json", "con/foo", "acme/nul", "acme/foo bar", "",
  "   ", 123, null, ["acme/foo"], "acme/foo\n", "acme/foo---bar", "acme//foo", "ÄCME/foo", "acme/FooBar",
  "acme/foo_", "-acme/foo", "acme/LPT1", "acme/foo..bar", { name: "acme/foo" }, true,
];
const LINK_TARGETS = ["php", "ext-json", "acme/bar", "Acme/Baz", "psr/log", "x/y", "lib-icu", "composer-plugin-api", "not a name", "UPPER/Case", "acme/foo"];
const FACT_VERSIONS = ["1.0.0", "v2.3.4", "dev-main", "1.x-dev", "2.0.0-beta1", "dev-feature/x", "3.0.x-dev"];

export function buildCorpus(): CorpusCase[] {
  const random = prng(CORPUS_SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const allPools = pools();
  const fields = Object.keys(allPools);
  const cases: CorpusCase[] = [];

  for (let i = 0; i < GENERATED_DOCUMENTS; i++) {
    // A third of the documents only use valid values, so that many reach the dump comparison.
    const hostile = i % 3 !== 0;
    const draw = (pool: Pool) => (hostile && pool.bad.length > 0 && random() < 0.12 ? pick(pool.bad) : pick(pool.good));
    const doc: Record<string, unknown> = {};
    doc.name = hostile && random() < 0.08 ? pick(BAD_NAMES) : pick(GOOD_NAMES);
    const count = 3 + Math.floor(random() * 12);
    for (let f = 0; f < count; f++) {
      const field = pick(fields);
      doc[field] = draw(allPools[field]);
    }
    for (const linkType of ["require", "require-dev", "conflict", "provide", "replace"]) {
      if (random() < 0.35) doc[linkType] = links(random, pick, hostile, String(doc.name));
    }
    if (hostile && random() < 0.1) doc.time = pick(BAD_DATES);
    if (hostile && random() < 0.1) doc.homepage = pick(BAD_URLS);
    if (typeof doc["target-dir"] === "string" && random() < 0.5) delete doc.autoload;
    cases.push({ id: `gen-${i}`, json: JSON.stringify(doc), facts: facts(random, pick) });
  }
  return [...cases, ...HOSTILE_CASES.map((c) => ({ ...c, facts: c.facts ?? releaseFacts() }))];
}

function links(random: () => number, pick: <T>(items: readonly T[]) => T, hostile: boolean, self: string): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const n = 1 + Math.floor(random() * 4);
  for (let k = 0; k < n; k++) {
    const target = random() < 0.05 ? self : pick(LINK_TARGETS);
    map[target] = hostile && random() < 0.15 ? pick(BAD_CONSTRAINTS) : pick(GOOD_CONSTRAINTS);
  }
  return map;
}

function facts(random: () => number, pick: <T>(items: readonly T[]) => T): Facts {
  const version = pick(FACT_VERSIONS);
  const result: Facts = { version, version_normalized: normalize(version) };
  const reference = Math.floor(random() * 0xffffffff).toString(16).padStart(8, "0").repeat(5);
  if (random() < 0.7) result.source = { type: "git", url: "https://git.example.com/acme/foo.git", reference };
  if (random() < 0.8) result.dist = { type: "zip", url: `https://repo.example.com/dists/${reference}.zip`, reference, shasum: "" };
  if (random() < 0.6) result.time = new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 2e11)).toISOString().replace(".000Z", "+00:00");
  if (version.startsWith("dev-") || version.endsWith("-dev")) result.default_branch = random() < 0.5;
  return result;
}

export function releaseFacts(): Facts {
  return { version: "1.2.3", version_normalized: "1.2.3.0", time: "2021-03-04T05:06:07+00:00" };
}
