// ValidatingArrayLoader's checks of the descriptive sections: license, authors, support, funding
// (composer/composer src/Composer/Package/Loader/ValidatingArrayLoader.php, load()).
import { isValidEmail, filterUrl } from "./php-filters.ts";
import { isPhpArray, isSet, phpCount, phpEntries, phpEmpty, phpType, phpTrim, type PhpArray } from "./php-values.ts";
import { compact, unsetKey, type Checker } from "./validate-checker.ts";

const EIGHT_DAYS_SECONDS = 8 * 24 * 3600;

/**
 * Composer only warns about non-SPDX licenses on recent releases (no date, or newer than eight
 * days). Non-string entries make Composer's own check crash (a TypeError under strict_types); we
 * report them as errors whatever the date, and also refuse a license that is neither a string nor
 * an array (Composer would publish `[123]`).
 */
/** Composer checks license identifiers only for releases of the last eight days (or undated ones). */
export function isRecentRelease(releaseTimestamp: number | null, nowSeconds: number): boolean {
  return releaseTimestamp === null || releaseTimestamp >= nowSeconds - EIGHT_DAYS_SECONDS;
}

export function checkLicense(v: Checker, releaseTimestamp: number | null, nowSeconds: number): void {
  const license = v.get("license");
  if (!isSet(license)) return;
  if (typeof license !== "string" && !isPhpArray(license)) {
    v.error(`license : should be a string or an array of strings, ${phpType(license)} given`);
    v.unset("license");
    return;
  }
  const entries = typeof license === "string" ? [["0", license] as const] : phpEntries(license);
  const recent = isRecentRelease(releaseTimestamp, nowSeconds);
  for (const [key, entry] of entries) {
    if (typeof entry !== "string") {
      v.error(`license.${key} : must be a string, ${phpType(entry)} given`);
      continue;
    }
    if (!recent || entry === "proprietary") continue;
    const candidate = entry.replaceAll("proprietary", "MIT");
    if (isSpdxExpression(candidate)) continue;
    if (isSpdxExpression(phpTrim(candidate))) {
      v.warn(`License ${JSON.stringify(entry)} must not contain extra spaces, make sure to trim it.`);
    } else {
      v.warn(
        `License ${JSON.stringify(entry)} is not a valid SPDX license identifier, see https://spdx.org/licenses/ if you use an open license.\n` +
          'If the software is closed-source, you may use "proprietary" as license.',
      );
    }
  }
}

const AUTHOR_STRING_KEYS = ["homepage", "email", "name", "role"];

export function checkAuthors(v: Checker): void {
  if (!v.validateArray("authors")) return;
  const authors = v.get("authors") as PhpArray;
  for (const [key, author] of phpEntries(authors)) {
    if (!isPhpArray(author)) {
      v.error(`authors.${key} : should be an array, ${phpType(author)} given`);
      unsetKey(authors, key);
      continue;
    }
    dropNonStrings(v, author, AUTHOR_STRING_KEYS, `authors.${key}`);
    const fields = author as Record<string, unknown>;
    if (typeof fields.homepage === "string" && !filterUrl(fields.homepage)) {
      v.warn(`authors.${key}.homepage : invalid value (${fields.homepage}), must be an http/https URL`);
      unsetKey(author, "homepage");
    }
    if (typeof fields.email === "string" && !isValidEmail(fields.email)) {
      v.warn(`authors.${key}.email : invalid value (${fields.email}), must be a valid email address`);
      unsetKey(author, "email");
    }
    if (phpCount(author) === 0) unsetKey(authors, key);
  }
  compact(v.config, "authors");
  if (phpCount(v.get("authors") as PhpArray) === 0) v.unset("authors");
}

const SUPPORT_STRING_KEYS = ["issues", "forum", "wiki", "source", "email", "irc", "docs", "rss", "chat"];
const SUPPORT_URL_KEYS = ["issues", "forum", "wiki", "source", "docs", "chat"];

export function checkSupport(v: Checker): void {
  if (!v.validateArray("support")) return;
  const support = v.get("support") as PhpArray;
  dropNonStrings(v, support, SUPPORT_STRING_KEYS, "support");
  const fields = support as Record<string, unknown>;
  if (typeof fields.email === "string" && !isValidEmail(fields.email)) {
    v.warn(`support.email : invalid value (${fields.email}), must be a valid email address`);
    unsetKey(support, "email");
  }
  if (typeof fields.irc === "string" && !filterUrl(fields.irc, ["irc", "ircs"])) {
    v.warn(`support.irc : invalid value (${fields.irc}), must be a irc://<server>/<channel> or ircs:// URL`);
    unsetKey(support, "irc");
  }
  for (const key of SUPPORT_URL_KEYS) {
    const value = fields[key];
    if (typeof value === "string" && !filterUrl(value)) {
      v.warn(`support.${key} : invalid value (${value}), must be an http/https URL`);
      unsetKey(support, key);
    }
  }
  if (phpEmpty(support)) v.unset("support");
}

export function checkFunding(v: Checker): void {
  if (!v.validateArray("funding")) return;
  const funding = v.get("funding") as PhpArray;
  for (const [key, option] of phpEntries(funding)) {
    if (!isPhpArray(option)) {
      v.error(`funding.${key} : should be an array, ${phpType(option)} given`);
      unsetKey(funding, key);
      continue;
    }
    dropNonStrings(v, option, ["type", "url"], `funding.${key}`);
    const url = (option as Record<string, unknown>).url;
    if (typeof url === "string" && !filterUrl(url)) {
      v.warn(`funding.${key}.url : invalid value (${url}), must be an http/https URL`);
      unsetKey(option, "url");
    }
    if (phpEmpty(option)) unsetKey(funding, key);
  }
  compact(v.config, "funding");
  if (phpEmpty(v.get("funding"))) v.unset("funding");
}

/** "X.key : invalid value, must be a string" for each listed key that is set but not a string. */
function dropNonStrings(v: Checker, array: PhpArray, keys: readonly string[], path: string): void {
  if (Array.isArray(array)) return; // a list has only numeric keys, none of these
  for (const key of keys) {
    if (isSet(array[key]) && typeof array[key] !== "string") {
      v.error(`${path}.${key} : invalid value, must be a string`);
      delete array[key];
    }
  }
}

/**
 * SPDX expression syntax as composer/spdx-licenses' validate() parses it, except that any
 * idstring is taken as a license or exception id: we do not ship the SPDX list, and the result
 * is only ever a warning.
 */
export function isSpdxExpression(value: string): boolean {
  if (/^(?:NONE|NOASSERTION)$/i.test(value)) return true;
  const tokens = value.match(/\(|\)|[^\s()]+|\s+/g) ?? [];
  let at = 0;
  const skipSpace = () => {
    while (at < tokens.length && /^\s+$/.test(tokens[at])) at++;
  };
  const isId = (token: string | undefined) => token !== undefined && /^[\p{L}\p{N}.-]+\+?$/u.test(token);
  const keyword = (word: string) => tokens[at]?.toUpperCase() === word;
  const compound = (): boolean => {
    if (tokens[at] === "(") {
      at++;
      skipSpace();
      if (!compound()) return false;
      skipSpace();
      if (tokens[at] !== ")") return false;
      at++;
    } else {
      if (!isId(tokens[at])) return false;
      at++;
      const save = at;
      skipSpace();
      if (at > save && keyword("WITH")) {
        at++;
        skipSpace();
        if (!isId(tokens[at])) return false;
        at++;
      } else at = save;
    }
    const save = at;
    skipSpace();
    if (at > save && (keyword("AND") || keyword("OR"))) {
      at++;
      const before = at;
      skipSpace();
      return at > before && compound();
    }
    at = save;
    return true;
  };
  return tokens.length > 0 && compound() && at === tokens.length;
}
