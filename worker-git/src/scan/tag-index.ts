// The tags a scan has published, for VcsRepository's duplicate check: ArrayRepository::
// findPackage($name, $normalizedVersion) returns the first package of that name whose version
// the constraint matches. Composer tests every package (quadratic over a thousand tags); here
// candidates are bucketed by a key that two versions share exactly when PHP's version_compare()
// finds them equal, and the real constraint check still decides among them, in Composer's order.
import { Constraint, type ConstraintInterface } from "../../../src/composer-rules/constraints.ts";
import { canonicalizeVersion } from "../../../src/composer-rules/version-compare.ts";
import { asciiLower } from "../../../src/composer-rules/package-name.ts";

export interface PublishedTag {
  /** Lowercased package name (Package::getName()). */
  name: string;
  /** The pretty version, for messages. */
  version: string;
  normalized: string;
}

// compare_special_version_forms(): prefix-matched, first hit wins; anything else is -1.
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ["dev", 0], ["alpha", 1], ["a", 1], ["beta", 2], ["b", 2], ["RC", 3], ["rc", 3], ["#", 4], ["pl", 5], ["p", 5],
];

/**
 * A string two versions share iff version_compare() says they are equal, or null when that
 * cannot be decided from parts alone (a "#" form equals any number; non-ASCII; branches).
 * After canonicalization every part is all digits (compared as integers) or all letters
 * (compared by special-form class); lengths must match, since an extra part only equals the
 * "#" form.
 */
export function versionEqualityKey(version: string): string | null {
  if (version === "" || version.startsWith("#") || version.startsWith("dev-") || /[^\x20-\x7e]/.test(version)) return null;
  const parts: string[] = [];
  for (const part of canonicalizeVersion(version).split(".")) {
    if (/^\d+$/.test(part)) {
      const digits = part.replace(/^0+/, "");
      // strtol() saturates: keep such numbers out of the fast path.
      if (digits.length >= 19) return null;
      parts.push(digits);
      continue;
    }
    const order = SPECIAL_FORMS.find(([form]) => part.startsWith(form))?.[1] ?? -1;
    if (order === 4 || part === "") return null;
    parts.push(`~${order}`);
  }
  return parts.join(".");
}

export class TagIndex {
  private readonly all: Array<PublishedTag & { index: number }> = [];
  private readonly buckets = new Map<string, Array<PublishedTag & { index: number }>>();
  /** Tags whose version has no key: checked on every lookup. */
  private readonly unkeyed: Array<PublishedTag & { index: number }> = [];

  add(name: string, version: string, normalized: string): void {
    const tag = { name: asciiLower(name), version, normalized, index: this.all.length };
    this.all.push(tag);
    const key = versionEqualityKey(normalized);
    if (key === null) this.unkeyed.push(tag);
    else {
      const bucketKey = `${tag.name}\0${key}`;
      const bucket = this.buckets.get(bucketKey);
      if (bucket) bucket.push(tag);
      else this.buckets.set(bucketKey, [tag]);
    }
  }

  /** findPackage($name, $constraint): the first tag of that name the constraint matches. */
  find(name: string, constraint: ConstraintInterface): PublishedTag | undefined {
    const lower = asciiLower(name);
    const key = constraint instanceof Constraint && constraint.operator === "==" ? versionEqualityKey(constraint.version) : null;
    const candidates = key === null
      ? this.all
      : [...(this.buckets.get(`${lower}\0${key}`) ?? []), ...this.unkeyed].sort((a, b) => a.index - b.index);
    return candidates.find((tag) => tag.name === lower && constraint.matches(new Constraint("==", tag.normalized)));
  }
}
