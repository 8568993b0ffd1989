// PHP value semantics the Composer ports depend on: json_decode(..., true) turns both JSON objects
// and lists into "arrays", isset() treats null as absent, empty() treats "0" as empty, and
// sort()/ksort() compare numeric strings as numbers (PHP 8 comparison rules).

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A PHP array decoded from JSON: a list or an object. */
export type PhpArray = JsonValue[] | JsonObject;

export function isPhpArray(value: unknown): value is PhpArray {
  return typeof value === "object" && value !== null;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Key/value pairs in PHP iteration order; list indexes become string keys as PHP prints them. */
export function phpEntries(value: PhpArray): Array<[string, JsonValue]> {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

export function phpCount(value: PhpArray): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

/** PHP's isset() on a decoded JSON value: present and not null. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** PHP's empty(): null, false, 0, 0.0, "", "0" and empty arrays. */
export function phpEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "" || value === "0") return true;
  return isPhpArray(value) && phpCount(value) === 0;
}

/** PHP's gettype() names, for Composer's "should be a string, X given" messages. */
export function phpType(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "double";
  return "array";
}

/** PHP's (string) cast of a JSON scalar. */
export function phpString(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "1" : "";
  return String(value);
}

const NUMERIC_RE = /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** PHP 8's is_numeric() for strings (leading and trailing whitespace allowed). */
export function isNumericString(value: string): boolean {
  return NUMERIC_RE.test(value);
}

/** PHP's trim() default character set. */
export function phpTrim(value: string): string {
  return value.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, "");
}

/** PHP 8's `<=>` for two strings: numerically when both are numeric, else bytewise. */
export function phpCompareStrings(a: string, b: string): number {
  if (isNumericString(a) && isNumericString(b)) {
    const x = Number(a.trim());
    const y = Number(b.trim());
    if (x !== y) return x < y ? -1 : 1;
    return 0;
  }
  return compareBytes(a, b);
}

/** strcmp() over UTF-8 bytes; UTF-16 code-unit order differs only for astral characters. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const x = utf8Binary(a);
  const y = utf8Binary(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** ksort($array): a new object with the same entries ordered by PHP key comparison. */
export function ksort<T>(entries: Array<[string, T]>): { [key: string]: T } {
  const sorted = [...entries].sort(([a], [b]) => phpCompareStrings(a, b));
  return Object.fromEntries(sorted);
}

/**
 * The string as PHP sees it: one char per UTF-8 byte. Lets byte-oriented PCRE patterns (no /u)
 * and C-level parsers be ported with their length limits intact.
 */
export function utf8Binary(value: string): string {
  if (!/[^\x00-\x7F]/.test(value)) return value;
  let binary = "";
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return binary;
}

/** The inverse of utf8Binary (invalid sequences become U+FFFD). */
export function fromUtf8Binary(binary: string): string {
  if (!/[^\x00-\x7F]/.test(binary)) return binary;
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/**
 * preg_match('{^...$}') WITHOUT the D modifier: `$` also matches before one final "\n".
 * Composer's validateRegex/validateFlatArray patterns are written that way.
 */
export function pregFullMatch(pattern: RegExp, value: string): boolean {
  return pattern.test(value) || (value.endsWith("\n") && pattern.test(value.slice(0, -1)));
}
