import { describe, expect, it } from "vitest";
import { UNSET, deepEqual, expandVersions, minifyVersions } from "./minify.ts";

// Hand-checked against composer/metadata-minifier's MetadataMinifier::minify()/expand().
const FULL = [
  { name: "acme/foo", version: "2.0.0", require: { php: ">=8.1" }, license: ["MIT"], time: "2024-02-01T00:00:00+00:00" },
  { name: "acme/foo", version: "1.1.0", require: { php: ">=8.1" }, license: ["MIT"], time: "2024-01-01T00:00:00+00:00", extra: { a: 1 } },
  { name: "acme/foo", version: "1.0.0", require: { php: ">=7.4" }, time: "2023-01-01T00:00:00+00:00", extra: { a: 1 } },
  { name: "acme/foo", version: "0.9.0", require: { php: ">=7.4" }, license: ["MIT"], time: "2022-01-01T00:00:00+00:00" },
];
const MINIFIED = [
  FULL[0],
  { version: "1.1.0", time: "2024-01-01T00:00:00+00:00", extra: { a: 1 } },
  { version: "1.0.0", require: { php: ">=7.4" }, time: "2023-01-01T00:00:00+00:00", license: UNSET },
  { version: "0.9.0", license: ["MIT"], time: "2022-01-01T00:00:00+00:00", extra: UNSET },
];

/** Same top-level keys and deeply equal values; expansion appends re-added keys at the end. */
function sameVersion(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe("minifyVersions / expandVersions", () => {
  it("matches the hand-checked fixture", () => {
    expect(JSON.stringify(minifyVersions(FULL))).toBe(JSON.stringify(MINIFIED));
    expect(JSON.stringify(expandVersions(MINIFIED))).toBe(
      JSON.stringify([FULL[0], FULL[1], FULL[2], { name: "acme/foo", version: "0.9.0", require: { php: ">=7.4" }, time: "2022-01-01T00:00:00+00:00", license: ["MIT"] }]),
    );
  });

  it("handles no versions and one version", () => {
    expect(minifyVersions([])).toEqual([]);
    expect(expandVersions([])).toEqual([]);
    expect(minifyVersions([FULL[0]])).toEqual([FULL[0]]);
  });

  it("compares values deeply and with key order, as PHP's === does", () => {
    const minified = minifyVersions([
      { name: "a", extra: { x: 1, y: 2 } },
      { name: "a", extra: { x: 1, y: 2 } },
      { name: "a", extra: { y: 2, x: 1 } },
    ]);
    expect(minified).toEqual([{ name: "a", extra: { x: 1, y: 2 } }, {}, { extra: { y: 2, x: 1 } }]);
  });

  it("starts over after an empty version, as PHP's falsy check does", () => {
    const versions = [{}, { a: 1 }, { a: 1, b: 2 }];
    const minified = minifyVersions(versions);
    expect(minified).toEqual([{}, { a: 1 }, { b: 2 }]);
    expect(expandVersions(minified)).toEqual(versions);
  });

  it("keeps null as a value (PHP's isset() would turn it into __unset)", () => {
    const versions = [{ a: 1, b: null }, { a: 2, b: null }];
    expect(minifyVersions(versions)).toEqual([{ a: 1, b: null }, { a: 2 }]);
    expect(expandVersions(minifyVersions(versions))).toEqual(versions);
  });

  it("keeps a __proto__ key as data", () => {
    const versions = JSON.parse('[{"a":1,"__proto__":{"x":1}},{"a":1,"__proto__":{"x":2}}]') as object[];
    const minified = minifyVersions(versions);
    expect(JSON.stringify(minified)).toBe('[{"a":1,"__proto__":{"x":1}},{"__proto__":{"x":2}}]');
    expect(JSON.stringify(expandVersions(minified))).toBe(JSON.stringify(versions));
  });

  it("does not alias its input", () => {
    const versions = [{ a: 1 }, { a: 2 }];
    const expanded = expandVersions(minifyVersions(versions));
    (expanded[0] as Record<string, unknown>).a = 99;
    expect(versions[0].a).toBe(1);
  });

  it("round-trips random version lists (property)", () => {
    const random = seeded(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const values: unknown[] = ["x", "y", 0, 1, true, false, null, [], ["a"], ["a", "b"], {}, { k: 1 }, { k: 2 }, { j: 1, k: 1 }, { k: 1, j: 1 }, { deep: { list: [1, { z: null }] } }];
    const keys = ["name", "version", "require", "extra", "type", "time", "license", "dist", "k1", "k2", "k3"];
    for (let run = 0; run < 500; run++) {
      const versions: Array<Record<string, unknown>> = [];
      const count = Math.floor(random() * 9);
      for (let i = 0; i < count; i++) {
        const version: Record<string, unknown> = {};
        for (const key of keys) if (random() < 0.55) version[key] = structuredClone(pick(values));
        versions.push(version);
      }
      const minified = minifyVersions(versions);
      const expanded = expandVersions(minified);
      expect(expanded).toHaveLength(versions.length);
      versions.forEach((version, i) => expect(sameVersion(expanded[i], version), JSON.stringify({ versions, minified })).toBe(true));
      // Each diff holds exactly the changed keys and the removed ones, nothing else.
      for (let i = 1; i < versions.length; i++) {
        const previous = expanded[i - 1];
        if (Object.keys(previous).length === 0) continue; // a restart: complete again
        for (const [key, value] of Object.entries(minified[i])) {
          if (value === UNSET) expect(Object.hasOwn(versions[i], key)).toBe(false);
          else expect(Object.hasOwn(previous, key) && deepEqual(previous[key], value)).toBe(false);
        }
        for (const key of Object.keys(versions[i])) {
          if (!Object.hasOwn(minified[i], key)) expect(deepEqual(previous[key], versions[i][key])).toBe(true);
        }
      }
      // The JSON round trip changes nothing.
      expect(expandVersions(JSON.parse(JSON.stringify(minified)) as object[])).toEqual(expanded);
    }
  });
});
