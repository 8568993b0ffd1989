// Port of composer/metadata-minifier (src/MetadataMinifier.php), the "composer/2.0" minified
// format of p2 documents: the first version is complete, each later one carries only the
// top-level keys whose value changed since the previous (expanded) version, and "__unset" for
// keys it no longer has. Expansion is shallow: a changed key replaces the whole value.
//
// One deliberate difference: PHP's isset() makes a key whose value is null count as missing, so
// PHP minifies `"key": null` to "__unset" and it expands to no key at all. Here null is a value
// like any other, and minify/expand round-trips it. (Published entries never hold a null.)

export const UNSET = "__unset";

export type VersionData = Record<string, unknown>;

export function minifyVersions<T extends object>(versions: readonly T[]): VersionData[] {
  const minified: VersionData[] = [];
  let last: VersionData | null = null;
  for (const item of versions) {
    const version = item as VersionData;
    // PHP's `if (!$lastKnownVersionData)`: an empty previous version starts over, as in expand().
    if (last === null || Object.keys(last).length === 0) {
      last = { ...version };
      minified.push(version);
      continue;
    }
    const diff: VersionData = {};
    for (const [key, value] of Object.entries(version)) {
      if (!Object.hasOwn(last, key) || !deepEqual(last[key], value)) {
        setOwn(diff, key, value);
        setOwn(last, key, value);
      }
    }
    for (const key of Object.keys(last)) {
      if (!Object.hasOwn(version, key)) {
        setOwn(diff, key, UNSET);
        delete last[key];
      }
    }
    minified.push(diff);
  }
  return minified;
}

export function expandVersions<T extends object>(versions: readonly T[]): T[] {
  const expanded: T[] = [];
  let current: VersionData | null = null;
  for (const item of versions) {
    const version = item as VersionData;
    if (current === null || Object.keys(current).length === 0) {
      current = { ...version };
      expanded.push({ ...current } as T);
      continue;
    }
    for (const [key, value] of Object.entries(version)) {
      if (value === UNSET) delete current[key];
      else setOwn(current, key, value);
    }
    expanded.push({ ...current } as T);
  }
  return expanded;
}

/** Plain assignment would treat a "__proto__" key as the prototype; decoded JSON can hold one. */
function setOwn(target: VersionData, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** PHP's `===` on decoded JSON: same scalars, and arrays with the same keys in the same order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    if (aKeys[i] !== bKeys[i]) return false;
    const key = aKeys[i];
    if (!deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
