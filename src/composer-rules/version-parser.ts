// Port of composer/semver 3.x VersionParser (src/VersionParser.php): normalize(), normalizeBranch(),
// parseStability() and friends. parseConstraints() lives in constraints.ts.
//
// PCRE → JavaScript notes (PHP uses PCRE without the /u flag, without /D):
// - PCRE "$" also matches before a final "\n"; JS "$" does not, so END is used instead.
// - PCRE "." excludes only "\n" (JS also excludes "\r", U+2028, U+2029); DOT is used instead.
// - PCRE "\s" is ASCII-only (JS "\s" includes Unicode spaces); WS / NOT_WS are used instead.
// - Possessive quantifiers (++, *+) are plain greedy here: in every pattern below the
//   possessive part can never give back characters that something after it could use.

export type Stability = "stable" | "RC" | "beta" | "alpha" | "dev";

/** Composer throws \UnexpectedValueException; this carries the same message. */
export class VersionParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VersionParseError";
  }
}

// Shared with constraints.ts (not part of the public API).
export const END = "(?=\\n?$)";
export const DOT = "[^\\n]";
export const WS = "[\\t\\n\\v\\f\\r ]";
export const NOT_WS = "[^\\t\\n\\v\\f\\r ]";
/** VersionParser::$modifierRegex: groups = stability word, its number, dev suffix. */
export const MODIFIER_REGEX = "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?";
export const STABILITIES_REGEX = "stable|RC|beta|alpha|dev";

/** PHP trim() default characters: " \t\n\r\0\x0B" (not \f, not Unicode spaces). */
export function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\v]+/, "").replace(/[ \t\n\r\0\v]+$/, "");
}

/** PHP 8 strtolower() is ASCII-only. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** PHP empty() on a preg_match group: unset, "" and "0" are empty. */
export function phpEmpty(value: string | undefined): boolean {
  return value === undefined || value === "" || value === "0";
}

/** preg_quote() equivalent for building a JS RegExp that matches `s` literally. */
export function regexQuote(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

const ALIAS_RE = new RegExp(`^([^,\\t\\n\\v\\f\\r ]+) +as +([^,\\t\\n\\v\\f\\r ]+)${END}`);
const STABILITY_FLAG_RE = new RegExp(`@(?:${STABILITIES_REGEX})${END}`, "i");
const BUILD_METADATA_RE = new RegExp(`^([^,\\t\\n\\v\\f\\r +]+)\\+${NOT_WS}+${END}`);
const CLASSICAL_RE = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER_REGEX}${END}`, "i");
const DATE_RE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER_REGEX}${END}`, "i");
const DEV_BRANCH_RE = new RegExp(`(${DOT}*?)[.-]?dev${END}`, "i");
const BRANCH_RE = new RegExp(`^v?(\\d+)(\\.(?:\\d+|[xX*]))?(\\.(?:\\d+|[xX*]))?(\\.(?:\\d+|[xX*]))?${END}`, "i");
const NUMERIC_ALIAS_RE = new RegExp(`^((?:\\d+\\.)*\\d+)(?:\\.x)?-dev${END}`, "i");
const STABILITY_SUFFIX_RE = new RegExp(`${MODIFIER_REGEX}(?:\\+${DOT}*)?${END}`, "i");
const HASH_REF_RE = new RegExp(`#${DOT}+${END}`, "g");

/** VersionParser::parseStability() */
export function parseStability(version: string): Stability {
  const v = String(version).replace(HASH_REF_RE, "");
  if (v.startsWith("dev-") || v.slice(-4) === "-dev") return "dev";

  const match = STABILITY_SUFFIX_RE.exec(asciiLower(v));
  if (!match) return "stable";
  if (!phpEmpty(match[3])) return "dev";
  const word = match[1];
  if (!phpEmpty(word)) {
    if (word === "beta" || word === "b") return "beta";
    if (word === "alpha" || word === "a") return "alpha";
    if (word === "rc") return "RC";
  }
  return "stable";
}

/** VersionParser::normalizeStability() */
export function normalizeStability(stability: string): string {
  const s = asciiLower(stability);
  return s === "rc" ? "RC" : s;
}

/** VersionParser::expandStability() */
function expandStability(stability: string): string {
  const s = asciiLower(stability);
  switch (s) {
    case "a": return "alpha";
    case "b": return "beta";
    case "p":
    case "pl": return "patch";
    case "rc": return "RC";
    default: return s;
  }
}

/** VersionParser::normalize(): e.g. "v1.2" → "1.2.0.0", "1.0-beta2" → "1.0.0.0-beta2". */
export function normalize(input: string, fullVersion?: string | null): string {
  let version = phpTrim(String(input));
  const origVersion = version;
  const full = fullVersion ?? version;

  // strip off aliasing
  const alias = ALIAS_RE.exec(version);
  if (alias) version = alias[1];

  // strip off stability flag (by length, exactly as PHP's substr() does)
  const flag = STABILITY_FLAG_RE.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);

  // master/trunk/default used to be valid constraints in Composer 1
  if (version === "master" || version === "trunk" || version === "default") version = `dev-${version}`;

  // branch-like requirement: keep the full name
  if (asciiLower(version.slice(0, 4)) === "dev-") return `dev-${version.slice(4)}`;

  // strip off build metadata
  const build = BUILD_METADATA_RE.exec(version);
  if (build) version = build[1];

  let matches: RegExpExecArray | null = CLASSICAL_RE.exec(version);
  let index = 0;
  if (matches) {
    version = matches[1] + (matches[2] || ".0") + (matches[3] || ".0") + (matches[4] || ".0");
    index = 5;
  } else {
    matches = DATE_RE.exec(version);
    if (matches) {
      version = matches[1].replace(/\D/g, ".");
      index = 2;
    }
  }

  if (matches) {
    const word = matches[index];
    if (!phpEmpty(word)) {
      if (word === "stable") return version;
      const number = matches[index + 1];
      version += `-${expandStability(word)}${number ? number.replace(/^[.-]+/, "") : ""}`;
    }
    if (!phpEmpty(matches[index + 2])) version += "-dev";
    return version;
  }

  // dev branches: only numeric ones ("1.x-dev") are valid without a dev- prefix
  const dev = DEV_BRANCH_RE.exec(version);
  if (dev) {
    const normalized = normalizeBranch(dev[1]);
    if (!normalized.includes("dev-")) return normalized;
  }

  let extraMessage = "";
  const quoted = regexQuote(version);
  if (new RegExp(` +as +${quoted}(?:@(?:${STABILITIES_REGEX}))?${END}`).test(full)) {
    extraMessage = ` in "${full}", the alias must be an exact version`;
  } else if (new RegExp(`^${quoted}(?:@(?:${STABILITIES_REGEX}))? +as +`).test(full)) {
    extraMessage = ` in "${full}", the alias source must be an exact version, if it is a branch name you should prefix it with dev-`;
  }
  throw new VersionParseError(`Invalid version string "${origVersion}"${extraMessage}`);
}

/** VersionParser::parseNumericAliasPrefix(): "2.1.x-dev" → "2.1.", otherwise false. */
export function parseNumericAliasPrefix(branch: string): string | false {
  const m = NUMERIC_ALIAS_RE.exec(String(branch));
  return m ? `${m[1]}.` : false;
}

/** VersionParser::normalizeBranch(): "2.1.x" → "2.1.9999999.9999999-dev", "foo" → "dev-foo". */
export function normalizeBranch(input: string): string {
  const name = phpTrim(String(input));
  const m = BRANCH_RE.exec(name);
  if (m) {
    let version = "";
    for (let i = 1; i < 5; i++) {
      version += m[i] !== undefined ? m[i].replace(/[*X]/g, "x") : ".x";
    }
    return `${version.replace(/x/g, "9999999")}-dev`;
  }
  return `dev-${name}`;
}

/** VersionParser::normalizeDefaultBranch() (deprecated upstream, kept for Semver::usort()). */
export function normalizeDefaultBranch(name: string): string {
  if (name === "dev-master" || name === "dev-default" || name === "dev-trunk") return "9999999-dev";
  return String(name);
}

const PHP_INT_MAX = 9223372036854775807n;

/** preg_split() without flags: every piece, empty ones included. */
export function pregSplit(re: RegExp, subject: string): string[] {
  const pieces: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(subject); m !== null; m = re.exec(subject)) {
    pieces.push(subject.slice(last, m.index));
    last = m.index + m[0].length;
  }
  pieces.push(subject.slice(last));
  return pieces;
}

/** PHP's `$digits + $n` then string concatenation: int, or a float printed with precision 14. */
function phpAdd(digits: string, n: number): string {
  const value = BigInt(digits);
  if (value <= PHP_INT_MAX && value + BigInt(n) <= PHP_INT_MAX) return String(value + BigInt(n));
  const [mantissa, exponent] = (Number(digits) + n).toExponential(13).split("e");
  const trimmed = mantissa.replace(/\.?0+$/, "");
  return `${trimmed.includes(".") ? trimmed : `${trimmed}.0`}E${exponent.startsWith("-") ? "" : "+"}${exponent.replace("+", "")}`;
}

/** VersionParser::manipulateVersionString(), used by parseConstraints() (increment is 0 or 1 there). */
export function manipulateVersionString(matches: ReadonlyArray<string | undefined>, position: number, increment = 0, pad = "0"): string {
  const parts = [...matches];
  for (let i = 4; i > 0; i--) {
    if (i > position) parts[i] = pad;
    else if (i === position && increment) parts[i] = phpAdd(parts[i] || "0", increment);
  }
  return `${parts[1] ?? ""}.${parts[2] ?? ""}.${parts[3] ?? ""}.${parts[4] ?? ""}`;
}

/** Grouped like Composer's class, for call sites that prefer `VersionParser.normalize(...)`. */
export const VersionParser = {
  normalize,
  normalizeBranch,
  normalizeDefaultBranch,
  normalizeStability,
  parseStability,
  parseNumericAliasPrefix,
} as const;
