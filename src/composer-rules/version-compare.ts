// Exact port of PHP's version_compare() (php-src ext/standard/versioning.c, PHP 8.x).
// Composer's Constraint::versionCompare() delegates to it, so every quirk matters:
// canonicalization, prefix-matched "special forms", saturating strtol(), and the
// recursive tail comparison against "#N#".

export type PhpCompareResult = -1 | 0 | 1;
export type PhpCompareOperator = "<" | "lt" | "<=" | "le" | ">" | "gt" | ">=" | "ge" | "==" | "=" | "eq" | "!=" | "<>" | "ne";

// Stands in for one UTF-8 byte of a non-ASCII character: PHP works on bytes, and in the C
// locale every such byte is neither a digit nor alphanumeric, which is all that matters here.
const NON_ASCII_BYTE = "\u0001";
const LONG_MAX = "9223372036854775807";

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isAlnum = (c: string): boolean => isDigit(c) || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");

/** PHP receives UTF-8 bytes and stops at the first NUL (C strings); mimic both. */
function toCBytes(input: string): string {
  const nul = input.indexOf("\u0000");
  const s = nul === -1 ? input : input.slice(0, nul);
  if (!/[^\u0000-\u007f]/.test(s)) return s;
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const bytes = cp < 0x80 ? 0 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    out += bytes === 0 ? ch : NON_ASCII_BYTE.repeat(bytes);
  }
  return out;
}

/** php_canonicalize_version(): "-", "_", "+" become ".", and "." separates digit/non-digit runs. */
export function canonicalizeVersion(version: string): string {
  if (version.length === 0) return "";
  const isDig = (c: string): boolean => isDigit(c) && c !== ".";
  const isNdig = (c: string): boolean => !isDigit(c) && c !== ".";
  let out = version[0];
  let lp = version[0];
  for (let i = 1; i < version.length; i++) {
    const c = version[i];
    const lq = out[out.length - 1];
    if (c === "-" || c === "_" || c === "+") {
      if (lq !== ".") out += ".";
    } else if ((isNdig(lp) && isDig(c)) || (isDig(lp) && isNdig(c))) {
      if (lq !== ".") out += ".";
      out += c;
    } else if (!isAlnum(c)) {
      if (lq !== ".") out += ".";
    } else {
      out += c;
    }
    lp = c;
  }
  return out;
}

// Order of compare_special_version_forms(); matched by *prefix* and case-sensitively, first hit wins.
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ["dev", 0], ["alpha", 1], ["a", 1], ["beta", 2], ["b", 2],
  ["RC", 3], ["rc", 3], ["#", 4], ["pl", 5], ["p", 5],
];

function specialFormOrder(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) {
    if (form.startsWith(name)) return order;
  }
  return -1;
}

function sign(n: number): PhpCompareResult {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareSpecialForms(a: string, b: string): PhpCompareResult {
  return sign(specialFormOrder(a) - specialFormOrder(b));
}

/** strtol(s, NULL, 10) on a digit-led segment: leading digits only, saturating at LONG_MAX. */
function strtolDigits(segment: string): string {
  const digits = (/^[0-9]*/.exec(segment)?.[0] ?? "").replace(/^0+/, "");
  if (digits.length > LONG_MAX.length || (digits.length === LONG_MAX.length && digits > LONG_MAX)) return LONG_MAX;
  return digits;
}

function compareLongs(a: string, b: string): PhpCompareResult {
  const x = strtolDigits(a);
  const y = strtolDigits(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** php_version_compare() on already byte-mapped strings. */
function compareRaw(orig1: string, orig2: string): PhpCompareResult {
  if (orig1 === "" || orig2 === "") {
    if (orig1 === "" && orig2 === "") return 0;
    return orig1 !== "" ? 1 : -1;
  }
  const v1 = orig1[0] === "#" ? orig1 : canonicalizeVersion(orig1);
  const v2 = orig2[0] === "#" ? orig2 : canonicalizeVersion(orig2);
  // p = start of the current segment, n = index of the dot ending it (-1 = C's NULL)
  let p1 = 0;
  let p2 = 0;
  let n1 = 0;
  let n2 = 0;
  let compare: PhpCompareResult = 0;
  while (p1 < v1.length && p2 < v2.length && n1 !== -1 && n2 !== -1) {
    n1 = v1.indexOf(".", p1);
    n2 = v2.indexOf(".", p2);
    const s1 = v1.slice(p1, n1 === -1 ? v1.length : n1);
    const s2 = v2.slice(p2, n2 === -1 ? v2.length : n2);
    const d1 = s1 !== "" && isDigit(s1[0]);
    const d2 = s2 !== "" && isDigit(s2[0]);
    if (d1 && d2) compare = compareLongs(s1, s2);
    else if (!d1 && !d2) compare = compareSpecialForms(s1, s2);
    else compare = d1 ? compareSpecialForms("#N#", s2) : compareSpecialForms(s1, "#N#");
    if (compare !== 0) break;
    if (n1 !== -1) p1 = n1 + 1;
    if (n2 !== -1) p2 = n2 + 1;
  }
  if (compare === 0) {
    if (n1 !== -1) {
      const rest = v1.slice(p1);
      compare = rest !== "" && isDigit(rest[0]) ? 1 : compareRaw(rest, "#N#");
    } else if (n2 !== -1) {
      const rest = v2.slice(p2);
      compare = rest !== "" && isDigit(rest[0]) ? -1 : compareRaw("#N#", rest);
    }
  }
  return compare;
}

/** version_compare($a, $b): -1, 0 or 1. */
export function phpVersionCompare(a: string, b: string): PhpCompareResult {
  return compareRaw(toCBytes(a), toCBytes(b));
}

/** version_compare($a, $b, $operator) for the operators PHP accepts. */
export function phpVersionCompareOp(a: string, b: string, operator: PhpCompareOperator): boolean {
  const c = phpVersionCompare(a, b);
  switch (operator) {
    case "<": case "lt": return c === -1;
    case "<=": case "le": return c !== 1;
    case ">": case "gt": return c === 1;
    case ">=": case "ge": return c !== -1;
    case "==": case "=": case "eq": return c === 0;
    case "!=": case "<>": case "ne": return c !== 0;
  }
}
