// The Composer version a request comes from, read from its User-Agent
// (`Composer/2.7.1 (Linux; 6.1.0; PHP 8.2.7; cURL 7.88.1)`, see Composer's HttpDownloader).
// Anything else (no User-Agent, curl, a browser, a development build such as
// `Composer/source` or `Composer/@package_version@`) is not a Composer release: null.
import { normalize } from "../composer-rules/version-parser.ts";
import { phpVersionCompare } from "../composer-rules/version-compare.ts";

const COMPOSER_UA = /^Composer\/([0-9][^\s(]*)/;

/** The normalized Composer release in this User-Agent, or null. */
export function composerVersionOf(userAgent: string | undefined | null): string | null {
  const match = userAgent ? COMPOSER_UA.exec(userAgent.trim()) : null;
  if (!match?.[1]) return null;
  try {
    return normalize(match[1]);
  } catch {
    return null;
  }
}

/** Whether a client of this Composer version (composerVersionOf) is older than `minimum` (normalized). Unknown clients (null) are not judged. */
export function isOlderComposer(version: string | null, minimum: string): boolean {
  return version !== null && phpVersionCompare(version, minimum) < 0;
}
