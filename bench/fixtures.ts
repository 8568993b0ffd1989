// Package archives for the bench: one "hot" package with 100 releases whose composer.json
// evolves the way a real library's does (so its p2 document has a realistic size even in
// Composer's minified form), and small filler packages that only make the catalog big.
import { strToU8, zipSync } from "fflate";

export const HOT = "acme/hot-library";
export const HOT_VERSIONS = 100;

export interface Release {
  name: string;
  version: string;
  zip: Uint8Array;
}

function archive(composer: Record<string, unknown>, files: Record<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = { "composer.json": strToU8(JSON.stringify(composer, null, 2)) };
  for (const [file, text] of Object.entries(files)) entries[file] = strToU8(text);
  return zipSync(entries, { level: 1 });
}

/** Versions 1.0.0 … 5.x.y: majors move every 20 releases, minors every 5. */
function hotVersion(i: number): [major: number, minor: number, patch: number] {
  return [1 + Math.floor(i / 20), Math.floor((i % 20) / 5), i % 5];
}

// Requirements drift release by release (new deps, raised floors), like a real library: in the
// minified p2 format unchanged keys are omitted, so only real churn adds bytes.
function hotComposer(i: number): Record<string, unknown> {
  const [major, minor, patch] = hotVersion(i);
  const php = major < 3 ? ">=7.4" : major < 5 ? "^8.0" : "^8.1";
  const symfony = major < 3 ? "^5.4" : major < 5 ? "^5.4 || ^6.0" : "^6.4 || ^7.0";
  const require: Record<string, string> = {
    php,
    "ext-json": "*",
    "psr/log": major < 4 ? "^1.1 || ^2.0" : "^2.0 || ^3.0",
    "psr/container": "^1.1 || ^2.0",
    "symfony/console": symfony,
    "symfony/process": symfony,
    "symfony/filesystem": symfony,
    "guzzlehttp/guzzle": `^7.${Math.min(8, 2 + major + minor)}`,
    "monolog/monolog": major < 4 ? "^2.9" : "^3.5",
  };
  if (major >= 2) require["symfony/event-dispatcher"] = symfony;
  if (major >= 3) require["nesbot/carbon"] = `^2.${60 + minor * 5} || ^3.0`;
  if (major >= 4) require["ramsey/uuid"] = "^4.7";
  if (minor >= 2) require["symfony/polyfill-mbstring"] = "^1.28";
  return {
    name: HOT,
    description: `Hot library for the Satchel benchmark: clients, queues and console tooling (${major}.${minor} series).`,
    type: "library",
    license: "MIT",
    keywords: ["http", "queue", "console", "acme", major >= 3 ? "async" : "sync"],
    homepage: "https://example.com/acme/hot-library",
    time: new Date(Date.UTC(2019, 0, 1) + i * 9 * 86_400_000).toISOString(),
    authors: [
      { name: "Ada Example", email: "ada@example.com", role: "Lead" },
      { name: "Grace Example", email: "grace@example.com", role: major >= 3 ? "Maintainer" : "Contributor" },
    ],
    require,
    "require-dev": {
      "phpunit/phpunit": major < 3 ? "^9.5" : "^10.5 || ^11.0",
      "phpstan/phpstan": `^1.${major + 6}`,
      "friendsofphp/php-cs-fixer": "^3.40",
      "mockery/mockery": "^1.6",
    },
    suggest: { "ext-pcntl": "For graceful worker shutdown", "symfony/var-dumper": "For debugging output" },
    autoload: { "psr-4": { "Acme\\Hot\\": "src/" }, files: major >= 2 ? ["src/functions.php"] : [] },
    "autoload-dev": { "psr-4": { "Acme\\Hot\\Tests\\": "tests/" } },
    extra: { "branch-alias": { "dev-main": `${major}.${minor + 1}-dev` } },
    support: { issues: "https://example.com/acme/hot-library/issues", source: `https://example.com/acme/hot-library/tree/v${major}.${minor}.${patch}` },
    funding: [{ type: "github", url: "https://example.com/sponsors/acme" }],
  };
}

export function hotReleases(): Release[] {
  return Array.from({ length: HOT_VERSIONS }, (_, i) => {
    const version = hotVersion(i).join(".");
    const zip = archive(hotComposer(i), { "src/Client.php": `<?php\n// ${HOT} ${version}\nnamespace Acme\\Hot;\nfinal class Client {}\n` });
    return { name: HOT, version, zip };
  });
}

/** Filler package number `n`: one release, a couple of requirements. */
export function fillerRelease(n: number): Release {
  const name = `filler/pkg-${String(n).padStart(5, "0")}`;
  const composer = {
    name,
    description: `Filler package ${n} that only makes the catalog bigger.`,
    type: "library",
    license: "MIT",
    require: { php: ">=8.1", "psr/log": "^3.0" },
    autoload: { "psr-4": { [`Filler\\Pkg${n}\\`]: "src/" } },
  };
  return { name, version: "1.0.0", zip: archive(composer, { "src/Thing.php": "<?php\n" }) };
}
