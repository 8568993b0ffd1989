import { describe, expect, it } from "vitest";
import { validateComposerJson } from "./validate-composer-json.ts";
import { buildVersionEntry } from "./version-entry.ts";

const composerOf = (doc: Record<string, unknown>) => {
  const { errors, config } = validateComposerJson({ name: "acme/foo", ...doc });
  expect(errors).toEqual([]);
  return config;
};
const entryOf = (doc: Record<string, unknown>, facts: Record<string, unknown> = {}) =>
  buildVersionEntry({ composer: composerOf(doc), version: "1.2.3", versionNormalized: "1.2.3.0", ...facts });

describe("buildVersionEntry", () => {
  it("writes every key in Packagist's order", () => {
    const entry = entryOf(
      {
        abandoned: "acme/bar", replace: { "a/r": "*" }, provide: { "a/p": "1.0" }, conflict: { "a/c": "<1" },
        suggest: { "a/s": "why" }, "require-dev": { "a/d": "^1" }, require: { "a/q": "^2" }, bin: "bin/foo",
        "include-path": ["lib/"], "target-dir": "Acme/Foo", extra: { x: 1 }, autoload: { classmap: ["src/"] },
        time: "2020-01-02", funding: [{ type: "github", url: "https://github.com/sponsors/acme" }],
        support: { issues: "https://example.com/issues" }, type: "Library", authors: [{ name: "Ada" }],
        license: "MIT", homepage: "https://example.com", keywords: ["k"], description: "Foo", scripts: { test: "x" },
        "autoload-dev": { classmap: ["tests/"] }, "minimum-stability": "dev", "prefer-stable": true, config: {},
        repositories: [], archive: { exclude: ["/tests"] },
      },
      {
        source: { type: "git", url: "https://git.example/foo.git", reference: "abc" },
        dist: { type: "zip", url: "https://repo.example/foo.zip", reference: "abc", shasum: "" },
        isDefaultBranch: true,
      },
    );
    expect(Object.keys(entry)).toEqual([
      "name", "description", "keywords", "homepage", "version", "version_normalized", "license", "authors", "source",
      "dist", "type", "support", "funding", "time", "autoload", "extra", "target-dir", "include-path", "bin",
      "default-branch", "require", "require-dev", "suggest", "conflict", "provide", "replace", "abandoned",
    ]);
    expect(entry.type).toBe("library");
    expect(entry.license).toEqual(["MIT"]);
    expect(entry.bin).toEqual(["bin/foo"]);
    expect(entry.time).toBe("2020-01-02T00:00:00+00:00");
    expect(entry.dist).toEqual({ type: "zip", url: "https://repo.example/foo.zip", reference: "abc", shasum: "" });
  });

  it("leaves out what ArrayDumper leaves out", () => {
    const entry = entryOf({ description: "0", keywords: [], license: [], extra: {}, autoload: {}, bin: [], suggest: {}, abandoned: false, "target-dir": "0" });
    expect(entry).toEqual({ name: "acme/foo", version: "1.2.3", version_normalized: "1.2.3.0", type: "library" });
  });

  it("lowercases and sorts link targets, and sorts suggestions and keywords as PHP does", () => {
    const entry = entryOf({
      require: { "Zeta/Z": "^1", "acme/bar": "^2", php: ">=8.1" },
      suggest: { "b/b": "x", "A/a": "y", "x/y": "self.version" },
      keywords: ["b", "B", "a", "10", "9"],
    });
    expect(JSON.stringify(entry.require)).toBe('{"acme/bar":"^2","php":">=8.1","zeta/z":"^1"}');
    expect(JSON.stringify(entry.suggest)).toBe('{"A/a":"y","b/b":"x","x/y":"1.2.3"}');
    expect(entry.keywords).toEqual(["9", "10", "B", "a", "b"]);
  });

  it("prefers composer.json's time, keeping its offset, over the repository's", () => {
    expect(entryOf({ time: "2020-01-02T03:04:05+02:00" }, { time: new Date("2024-01-01T00:00:00Z") }).time).toBe("2020-01-02T03:04:05+02:00");
    expect(entryOf({}, { time: new Date("2024-01-02T03:04:05.678Z") }).time).toBe("2024-01-02T03:04:05+00:00");
    expect(entryOf({}, { time: "2024-01-02T03:04:05.000Z" }).time).toBe("2024-01-02T03:04:05+00:00");
    expect(entryOf({ time: "2019-12-31T24:00:00Z" }).time).toBe("2020-01-01T00:00:00+00:00");
    expect(() => entryOf({}, { time: "not a date" })).toThrow(TypeError);
  });

  it("normalizes target-dir and bin paths like Composer's Package", () => {
    expect(entryOf({ "target-dir": "../../etc/./x/.." })["target-dir"]).toBe("etc/x/");
    expect(entryOf({ "target-dir": "/Acme/Foo" })["target-dir"]).toBe("Acme/Foo");
    expect(entryOf({ bin: ["///usr/bin/x", "bin/y"] }).bin).toEqual(["usr/bin/x", "bin/y"]);
  });

  it("publishes abandoned as the replacement or true", () => {
    expect(entryOf({ abandoned: true }).abandoned).toBe(true);
    expect(entryOf({ abandoned: "acme/new" }).abandoned).toBe("acme/new");
    expect(entryOf({ abandoned: "0" }).abandoned).toBeUndefined();
  });

  it("omits null references and never aliases the composer.json it was given", () => {
    const composer = composerOf({ extra: { deep: { list: [1] } } });
    const entry = buildVersionEntry({
      composer, version: "dev-main", versionNormalized: "dev-main", isDefaultBranch: false,
      source: { type: "git", url: "u", reference: null },
    });
    expect(entry.source).toEqual({ type: "git", url: "u" });
    expect(entry["default-branch"]).toBeUndefined();
    (entry.extra?.deep as { list: number[] }).list.push(2);
    expect(composer.extra).toEqual({ deep: { list: [1] } });
  });

  it("keeps a __proto__ link target as data", () => {
    const composer = validateComposerJson(JSON.parse('{"name":"acme/foo","require":{"__proto__":"^1","a/b":"^2"}}')).config;
    const entry = buildVersionEntry({ composer, version: "1.0.0", versionNormalized: "1.0.0.0" });
    expect(JSON.stringify(entry.require)).toBe('{"__proto__":"^1","a/b":"^2"}');
  });

  it("needs a name", () => {
    expect(() => buildVersionEntry({ composer: {}, version: "1.0.0", versionNormalized: "1.0.0.0" })).toThrow(TypeError);
  });
});
