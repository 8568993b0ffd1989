// Port of composer/semver 3.x Semver::sort()/rsort() (src/Semver.php, private usort()) and
// Comparator::compare() (src/Comparator.php).
//
// Semver::usort()'s callback is not a consistent ordering: two different normalized strings that
// version_compare() calls equal (e.g. two dev- branches) are "greater" than each other both ways.
// The resulting order therefore depends on PHP's sort algorithm, so sortVersions()/rsortVersions()
// replay PHP 8's zend_sort() (Zend/zend_sort.c) with usort()'s stable fallback to reproduce it exactly.
// compareVersionsDesc() is the well-behaved comparator for Array.prototype.sort().

import { Constraint } from "./constraints.ts";
import type { Operator } from "./constraints.ts";
import { normalize, normalizeDefaultBranch } from "./version-parser.ts";

/** Comparator::compare(): `version1 <operator> version2`, where dev- branches compare with version_compare. */
export function compareWith(version1: string, operator: Operator, version2: string): boolean {
  return new Constraint(operator, version2).matchSpecific(new Constraint("==", version1), true);
}

/** Comparator::lessThan() */
export function lessThan(version1: string, version2: string): boolean {
  return compareWith(version1, "<", version2);
}

/** Comparator::greaterThan() */
export function greaterThan(version1: string, version2: string): boolean {
  return compareWith(version1, ">", version2);
}

/** The key Semver::usort() sorts by: normalized, with dev-master/default/trunk as 9999999-dev. */
export function sortKey(version: string): string {
  return normalizeDefaultBranch(normalize(version));
}

/**
 * Consistent descending comparator (newest first) for Array.prototype.sort(): same ordering as
 * Semver::rsort() wherever its callback is consistent; versions it cannot order compare as 0.
 * Throws VersionParseError for versions normalize() rejects.
 */
export function compareVersionsDesc(a: string, b: string): number {
  const left = sortKey(a);
  const right = sortKey(b);
  if (left === right) return 0;
  if (lessThan(left, right)) return 1;
  if (lessThan(right, left)) return -1;
  return 0;
}

/** Ascending counterpart of compareVersionsDesc(). */
export function compareVersionsAsc(a: string, b: string): number {
  return -compareVersionsDesc(a, b) || 0;
}

/** Semver::sort(): oldest first, exactly as PHP orders it. */
export function sortVersions(versions: readonly string[]): string[] {
  return usort(versions, 1);
}

/** Semver::rsort(): newest first, exactly as PHP orders it. */
export function rsortVersions(versions: readonly string[]): string[] {
  return usort(versions, -1);
}

function usort(versions: readonly string[], direction: 1 | -1): string[] {
  const keys = versions.map(sortKey);
  const order = versions.map((_, i) => i);
  // usort()'s callback, plus PHP 8's stable fallback (original position) when it returns 0
  const cmp = (x: number, y: number): number => {
    if (keys[x] === keys[y]) return x < y ? -1 : x > y ? 1 : 0;
    return lessThan(keys[x], keys[y]) ? -direction : direction;
  };
  zendSort(order, 0, order.length, cmp);
  return order.map((i) => versions[i]);
}

type Cmp = (x: number, y: number) => number;

// ---- zend_sort.c, over the slice a[base .. base+n) ----

function swap(a: number[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function sort2(a: number[], i: number, j: number, cmp: Cmp): void {
  if (cmp(a[i], a[j]) > 0) swap(a, i, j);
}

function sort3(a: number[], i: number, j: number, k: number, cmp: Cmp): void {
  if (!(cmp(a[i], a[j]) > 0)) {
    if (!(cmp(a[j], a[k]) > 0)) return;
    swap(a, j, k);
    if (cmp(a[i], a[j]) > 0) swap(a, i, j);
    return;
  }
  if (!(cmp(a[k], a[j]) > 0)) {
    swap(a, i, k);
    return;
  }
  swap(a, i, j);
  if (cmp(a[j], a[k]) > 0) swap(a, j, k);
}

function sort4(a: number[], i: number, j: number, k: number, l: number, cmp: Cmp): void {
  sort3(a, i, j, k, cmp);
  if (cmp(a[k], a[l]) > 0) {
    swap(a, k, l);
    if (cmp(a[j], a[k]) > 0) {
      swap(a, j, k);
      if (cmp(a[i], a[j]) > 0) swap(a, i, j);
    }
  }
}

function sort5(a: number[], i: number, j: number, k: number, l: number, m: number, cmp: Cmp): void {
  sort4(a, i, j, k, l, cmp);
  if (cmp(a[l], a[m]) > 0) {
    swap(a, l, m);
    if (cmp(a[k], a[l]) > 0) {
      swap(a, k, l);
      if (cmp(a[j], a[k]) > 0) {
        swap(a, j, k);
        if (cmp(a[i], a[j]) > 0) swap(a, i, j);
      }
    }
  }
}

/** Moves a[i] down to position j (the chain of swaps zend_insert_sort() performs). */
function rotateDown(a: number[], i: number, j: number): void {
  for (let k = i; k > j; k--) swap(a, k, k - 1);
}

function insertSort(a: number[], base: number, n: number, cmp: Cmp): void {
  if (n <= 1) return;
  if (n === 2) return sort2(a, base, base + 1, cmp);
  if (n === 3) return sort3(a, base, base + 1, base + 2, cmp);
  if (n === 4) return sort4(a, base, base + 1, base + 2, base + 3, cmp);
  if (n === 5) return sort5(a, base, base + 1, base + 2, base + 3, base + 4, cmp);
  const start = base;
  const end = base + n;
  const sentry = start + 6;
  for (let i = start + 1; i < sentry; i++) {
    let j = i - 1;
    if (!(cmp(a[j], a[i]) > 0)) continue;
    while (j !== start) {
      j--;
      if (!(cmp(a[j], a[i]) > 0)) {
        j++;
        break;
      }
    }
    rotateDown(a, i, j);
  }
  for (let i = sentry; i < end; i++) {
    let j = i - 1;
    if (!(cmp(a[j], a[i]) > 0)) continue;
    for (;;) {
      j -= 2;
      if (!(cmp(a[j], a[i]) > 0)) {
        j++;
        if (!(cmp(a[j], a[i]) > 0)) j++;
        break;
      }
      if (j === start) break;
      if (j === start + 1) {
        j--;
        if (cmp(a[i], a[j]) > 0) j++;
        break;
      }
    }
    rotateDown(a, i, j);
  }
}

function zendSort(a: number[], base: number, n: number, cmp: Cmp): void {
  for (;;) {
    if (n <= 16) return insertSort(a, base, n, cmp);
    const start = base;
    const end = base + n;
    const offset = n >> 1;
    let pivot = start + offset;
    if (n >> 10) {
      const delta = offset >> 1;
      sort5(a, start, start + delta, pivot, pivot + delta, end - 1, cmp);
    } else {
      sort3(a, start, pivot, end - 1, cmp);
    }
    swap(a, start + 1, pivot);
    pivot = start + 1;
    let i = pivot + 1;
    let j = end - 1;
    partition: for (;;) {
      while (cmp(a[pivot], a[i]) > 0) {
        i++;
        if (i === j) break partition;
      }
      j--;
      if (j === i) break partition;
      while (cmp(a[j], a[pivot]) > 0) {
        j--;
        if (j === i) break partition;
      }
      swap(a, i, j);
      i++;
      if (i === j) break partition;
    }
    swap(a, pivot, i - 1);
    if (i - 1 - start < end - i) {
      zendSort(a, start, i - start - 1, cmp);
      base = i;
      n = end - i;
    } else {
      zendSort(a, i, end - i, cmp);
      n = i - start - 1;
    }
  }
}
