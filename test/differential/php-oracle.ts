// Runs test/differential/composer-json-oracle.php (Composer's own PHP code) once over a whole
// corpus. Without php (or without Debian's Composer sources) the differential tests skip loudly,
// except under CI=true where a missing oracle is a failure.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ORACLE = fileURLToPath(new URL("./composer-json-oracle.php", import.meta.url));
const COMPOSER_AUTOLOAD = process.env.COMPOSER_AUTOLOAD ?? "/usr/share/php/Composer/autoload.php";

/** Why the oracle cannot run here, or null when it can. */
export function oracleUnavailable(): string | null {
  const probe = spawnSync("php", ["-r", "echo PHP_VERSION;"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return "php is not installed (apt-get install php-cli composer)";
  if (!existsSync(COMPOSER_AUTOLOAD)) return `Composer's PHP sources are missing (${COMPOSER_AUTOLOAD}; apt-get install composer)`;
  return null;
}

/** Skip (with a loud warning) or, under CI, fail when the oracle is unavailable. */
export function requireOracle(suite: string): boolean {
  const reason = oracleUnavailable();
  if (reason === null) return true;
  if (process.env.CI === "true") throw new Error(`${suite}: the PHP oracle is required under CI: ${reason}`);
  console.warn(`\n!!! ${suite}: SKIPPED, the PHP oracle is unavailable: ${reason} !!!\n`);
  return false;
}

export function runOracle<T>(request: { mode: "validate" | "minify"; cases: unknown[] }): T[] {
  const run = spawnSync("php", ["-d", "memory_limit=1G", ORACLE], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, COMPOSER_AUTOLOAD },
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`composer-json-oracle.php exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T[];
}

/** A value as PHP's json_decode(assoc)/json_encode sees it: {} is [], {"0": x} a list. */
export function asPhpJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asPhpJson);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  if (entries.every(([key], index) => key === String(index))) return entries.map(([, item]) => asPhpJson(item));
  return Object.fromEntries(entries.map(([key, item]) => [key, asPhpJson(item)]));
}
