// Differential test: Composer's own VcsRepository (Debian's Composer, run by
// vcs-repository-oracle.php with Packagist's ValidatingArrayLoader) against the real
// `satchel-git scan` binary, on generated git repositories (vcs-repository-corpus.ts). Every
// published version must match field by field, in the same order; only `dist` differs by design
// (Composer's GitDriver publishes none for a plain git repository, Satchel serves zipballs).
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { buildVcsCorpus, type CorpusRepo } from "./vcs-repository-corpus.ts";
import { requireOracle, asPhpJson } from "./php-oracle.ts";
import { serveSvnHgCorpus } from "./vcs-svn-hg-corpus.ts";
import { hasSvnAndHg } from "../../worker-git/src/testing/svn-hg.ts";

/** Skip loudly, or fail under CI, without svnserve/svnadmin/svn/hg. */
function requireSvnAndHg(): boolean {
  const missing = hasSvnAndHg();
  if (missing === null) return true;
  if (process.env.CI === "true") throw new Error(`svn/hg differential: ${missing}`);
  console.warn(`\n!!! svn/hg differential: SKIPPED, ${missing} !!!\n`);
  return false;
}

const ORACLE = fileURLToPath(new URL("./vcs-repository-oracle.php", import.meta.url));
const BIN = fileURLToPath(new URL("../../worker-git/bin/satchel-git.js", import.meta.url));
const COMPOSER_AUTOLOAD = process.env.COMPOSER_AUTOLOAD ?? "/usr/share/php/Composer/autoload.php";
// ArrayDumper keys that are root-only or client-side: Satchel never publishes them.
const NOT_PUBLISHED = new Set(["autoload-dev", "archive", "scripts", "notification-url", "transport-options", "installation-source", "dist"]);

interface OracleReply {
  url: string;
  packages: Array<Record<string, unknown>> | null;
  error: string | null;
  seconds: number;
}

type Entry = Record<string, unknown>;


/** Composer over repositories given as paths or as repository configs ({"type", "url", ...}). */
function runOracle(repositories: Array<string | Record<string, unknown>>, cacheDir: string): OracleReply[] {
  const run = spawnSync("php", ["-d", "memory_limit=1G", ORACLE], {
    input: JSON.stringify({ repositories, cacheDir }),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, COMPOSER_AUTOLOAD, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", COMPOSER_HOME: cacheDir },
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`vcs-repository-oracle.php exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleReply[];
}

async function runScan(args: string[], cacheDir: string): Promise<{ entries: Entry[] | null; error: string | null }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "scan", ...args, "--keep-bot-branches"], {
      env: { ...process.env, SATCHEL_GIT_CACHE: cacheDir },
      maxBuffer: 256 * 1024 * 1024,
    });
    return { entries: JSON.parse(stdout) as Entry[], error: null };
  } catch (error) {
    return { entries: null, error: (error as { stderr?: string }).stderr?.trim() || String(error) };
  }
}

/** Every field difference between Composer's dump and our entry, `dist` aside. */
function differences(id: string, index: number, php: Entry, ours: Entry): string[] {
  const found: string[] = [];
  const where = `${id} #${index} (${String(php.version)})`;
  const keys = new Set([...Object.keys(php), ...Object.keys(ours)]);
  for (const key of keys) {
    if (NOT_PUBLISHED.has(key)) {
      if (key !== "dist" && key in ours) found.push(`${where}: we publish "${key}", a key Composer keeps to itself`);
      continue;
    }
    const expected = JSON.stringify(asPhpJson(php[key]));
    const actual = JSON.stringify(asPhpJson(ours[key]));
    if (expected !== actual) found.push(`${where} "${key}": composer ${expected} / satchel ${actual}`);
  }
  const dist = ours.dist as Entry | undefined;
  const source = ours.source as Entry | undefined;
  // svn's "/tags/1.0/@12" is not URL-safe: its zipball goes by a stand-in that names the revision.
  const distReference = source?.type === "svn" ? `r${/@(\d+)$/.exec(String(source.reference))?.[1]}-` : source?.reference;
  const referenceOk = source?.type === "svn" ? String(dist?.reference).startsWith(String(distReference)) : dist?.reference === distReference;
  if (dist?.type !== "zip" || !referenceOk || dist.shasum !== "") found.push(`${where}: unexpected dist ${JSON.stringify(dist)}`);
  return found;
}

/** Every mismatch between Composer's replies and ours, repository by repository. */
function compareAll(ids: string[], php: OracleReply[], ours: Array<{ entries: Entry[] | null; error: string | null }>, emptyIds: Set<string>) {
  const mismatches: string[] = [];
  let compared = 0;
  ids.forEach((id, r) => {
    const expected = php[r];
    const actual = ours[r];
    if (expected.packages === null || actual.entries === null) {
      if (!(expected.packages === null && actual.entries === null && emptyIds.has(id))) {
        mismatches.push(`${id}: composer ${expected.error ?? `${expected.packages?.length} versions`} / satchel ${actual.error ?? `${actual.entries?.length} versions`}`);
      }
      return;
    }
    const versions = (list: Entry[]) => list.map((entry) => String(entry.version)).join(", ");
    if (expected.packages.length !== actual.entries.length) {
      mismatches.push(`${id}: composer has ${expected.packages.length} versions [${versions(expected.packages)}]\n  satchel has ${actual.entries.length} [${versions(actual.entries)}]`);
    }
    const count = Math.min(expected.packages.length, actual.entries.length);
    for (let i = 0; i < count; i++) mismatches.push(...differences(id, i, expected.packages[i], actual.entries[i]));
    compared += count;
  });
  return { mismatches, compared };
}

describe("VcsRepository: satchel-git scan vs Composer's PHP", () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "satchel-vcs-diff-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.runIf(requireOracle("VcsRepository differential"))("publishes exactly Composer's versions, field by field", async () => {
    const corpus = buildVcsCorpus(path.join(work, "repos"));
    const [php, ours] = await Promise.all([
      Promise.resolve().then(() => runOracle(corpus.map((repo) => repo.path), path.join(work, "composer-cache"))),
      Promise.all(corpus.map((repo) => runScan([repo.path], path.join(work, "satchel-cache")))),
    ]);
    const { mismatches, compared } = compareAll(corpus.map((repo) => repo.id), php, ours, new Set(corpus.filter((repo) => repo.empty).map((repo) => repo.id)));
    expect(mismatches, mismatches.slice(0, 30).join("\n")).toEqual([]);
    // The corpus must keep exercising the interesting paths.
    expect(compared).toBeGreaterThan(350);
    const tags = php.find((reply) => reply.url.endsWith(`${path.sep}tags`))?.packages ?? [];
    expect(tags.length).toBeGreaterThan(20);
  });

  it.runIf(requireOracle("VcsRepository differential (svn, hg)") && requireSvnAndHg())("reads Subversion and Mercurial repositories exactly as Composer's SvnDriver and HgDriver", async () => {
    const served = await serveSvnHgCorpus(path.join(work, "served"));
    try {
      const php = runOracle(served.repos.map((repo) => repo.composer), path.join(work, "composer-cache-svn-hg"));
      const ours = await Promise.all(served.repos.map((repo) => runScan(repo.args, path.join(work, "satchel-cache-svn-hg"))));
      const { mismatches, compared } = compareAll(served.repos.map((repo) => repo.id), php, ours, new Set());
      expect(mismatches, mismatches.slice(0, 30).join("\n")).toEqual([]);
      expect(compared).toBeGreaterThan(15);
      // Offsets of hg commit dates survive, as Composer publishes them.
      const hg = php[served.repos.findIndex((repo) => repo.id === "hg")].packages ?? [];
      expect(hg.map((entry) => entry.time)).toContain("2024-01-02T03:04:05+02:00");
    } finally {
      served.stop();
    }
  });
});
