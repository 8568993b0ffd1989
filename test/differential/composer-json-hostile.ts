// Hand-written composer.json documents: every field with the wrong type, hostile names, bad
// constraints, URLs and dates, and the few places where we deliberately differ from Composer.
import type { CorpusCase, Facts } from "./composer-json-corpus.ts";

type Hostile = Omit<CorpusCase, "facts"> & { facts?: Facts };

const base = { name: "acme/foo" };
const doc = (id: string, extra: Record<string, unknown>, more: Partial<Hostile> = {}): Hostile => ({
  id,
  json: JSON.stringify({ ...base, ...extra }),
  ...more,
});

const WRONG_TYPES: unknown[] = [5, 1.5, true, false, null, "str", [], {}, ["x"], { k: "v" }];
const FIELDS = [
  "name", "version", "description", "homepage", "keywords", "license", "authors", "support", "funding", "type",
  "time", "target-dir", "autoload", "extra", "bin", "include-path", "require", "require-dev", "suggest",
  "conflict", "provide", "replace", "abandoned", "minimum-stability", "scripts", "config", "autoload-dev",
  "archive", "notification-url", "installation-source", "source", "dist", "transport-options",
];

// license holds no value that makes the two disagree on purpose; those are listed below.
const wrongTypeCases: Hostile[] = FIELDS.flatMap((field) =>
  WRONG_TYPES.filter((value) => !(field === "license" && (typeof value === "number" || typeof value === "boolean"))).map(
    (value, index) => doc(`type-${field}-${index}`, { [field]: value }),
  ),
);

const LONG_NAME = `acme/${"x".repeat(251)}`;

export const HOSTILE_CASES: Hostile[] = [
  ...wrongTypeCases,
  { id: "not-an-object", json: "[]" },
  { id: "empty-object", json: "{}" },
  { id: "list-document", json: '["acme/foo"]' },
  { id: "proto-keys", json: '{"name":"acme/foo","require":{"__proto__":"^1"},"extra":{"__proto__":{"a":1}},"suggest":{"__proto__":"x"},"support":{"__proto__":"y"}}' },
  doc("name-upper", { name: "Acme/Foo" }),
  doc("name-camel", { name: "acme/FooBar" }),
  doc("name-trailing-newline", { name: "acme/foo\n" }),
  doc("name-reserved", { name: "aux/foo" }),
  doc("name-json", { name: "acme/foo.json" }),
  doc("name-255", { name: `acme/${"x".repeat(250)}` }),
  doc("name-dots", { name: "acme/../foo" }),
  doc("name-unicode", { name: "acmé/foo" }),
  doc("name-triple-dash", { name: "acme/a---b" }),
  doc("name-double-dash", { name: "acme/a--b" }),
  doc("name-vendor-double-dash", { name: "ac--me/b" }),
  doc("self-require", { require: { "ACME/FOO": "^1.0" } }),
  doc("self-replace", { replace: { "acme/foo": "self.version" } }),
  doc("conflict-replaced", { conflict: { "a/b": "^1", "c/d": "^2" }, replace: { "c/d": "*" } }),
  doc("conflict-replaced-first", { conflict: { "a/b": "^1", "c/d": "^2" }, replace: { "a/b": "*" } }),
  doc("conflict-replace-string", { conflict: { "a/b": "^1" }, replace: "a/b" }),
  doc("require-list", { require: ["^1.0"] }),
  doc("require-numeric-key", { require: { "123": "^1.0" } }),
  doc("require-bad-key", { require: { "a/b c": "^1.0", "ä/b": "^1" } }),
  doc("require-duplicate-case", { require: { "A/B": "^1", "a/b": "^2" } }),
  doc("require-exact", { require: { "a/b": "1.2.3", "c/d": "==2.0", "e/f": "0.1.0" } }),
  doc("require-unbound", { require: { "a/b": ">=1.0", "php": ">=7", "c/d": "*" } }),
  doc("constraint-empty", { require: { "a/b": "" } }),
  doc("constraint-spaces", { require: { "a/b": "   " } }),
  doc("constraint-garbage", { require: { "a/b": "not a constraint" } }),
  doc("constraint-or-trailing", { require: { "a/b": "^1.0 ||" } }),
  doc("constraint-alias", { require: { "a/b": "dev-main as 1.0.0" } }),
  doc("constraint-stability", { require: { "a/b": "^1.0@stable" } }),
  doc("suggest-self-version", { suggest: { "x/y": "self.version" } }, { facts: { version: "v9.8.7", version_normalized: "9.8.7.0" } }),
  doc("psr4-target-dir", { autoload: { "psr-4": { "Acme\\": "src/" } }, "target-dir": "Acme/Foo" }),
  doc("psr4-no-separator", { autoload: { "psr-4": { Acme: "src/" } } }),
  doc("autoload-unknown-type", { autoload: { "psr-5": {} } }),
  doc("homepage-javascript", { homepage: "javascript:alert(document.cookie)" }),
  doc("homepage-data", { homepage: "data:text/html;base64,PHNjcmlwdD4=" }),
  doc("homepage-spaces", { homepage: "   " }),
  doc("support-all-bad", { support: { issues: "javascript:x", irc: "http://x", email: "x", docs: "ftp://y" } }),
  doc("funding-empties", { funding: [{ url: "ftp://x" }, { type: "github", url: "https://github.com/sponsors/x" }] }),
  doc("authors-empties", { authors: [{ email: "bad" }, { homepage: "ftp://x" }, { name: "Kept" }] }),
  doc("branch-alias-bad", { extra: { "branch-alias": { "dev-main": "x", "1.x": "2.0.x-dev", "dev-next": "2.1.x-dev" } } },
    { facts: { version: "dev-next", version_normalized: "dev-next", default_branch: true } }),
  doc("time-future", { time: "2099-12-31T23:59:59+01:00", license: "Not-SPDX" }),
  doc("time-rollover", { time: "2020-12-31T24:00:00-03:00" }),
  doc("time-bad-month", { time: "2020-13-01" }),
  doc("time-bad-text", { time: "tomorrow-ish" }),
  doc("version-as-int", { version: 2 }),
  doc("version-bad", { version: "1.0.0-bogus" }),
  doc("version-alias", { version: "1.0.0 as 2.0.0" }),
  doc("abandoned-number", { abandoned: 1 }),
  doc("abandoned-list", { abandoned: ["x"] }),
  doc("abandoned-zero-string", { abandoned: "0" }),
  doc("keywords-sort", { keywords: ["b", "B", "a", "10", "9", "1e1", "é", "z"] }),
  doc("bin-slashes", { bin: ["///usr/bin/x", "bin/y"] }),
  doc("target-dir-dots", { "target-dir": "../../etc/./x/.." }),
  doc("platform-ok", { config: { platform: { php: "8.1.0", "ext-intl": false } } }),
  doc("minimum-stability-rc", { "minimum-stability": "RC" }),
  doc("minimum-stability-lower-rc", { "minimum-stability": "rc" }),
  doc("null-everywhere", { description: null, homepage: null, keywords: null, license: null, require: null, time: null }),
  doc("license-array-recent", { license: ["MIT", 5] }),
  doc("license-nested-recent", { license: [["MIT"]] }, { deviation: { reason: "license entries must be strings", oursValid: false } }),
  // Deliberate differences, checked as such: Composer accepts these, we refuse them.
  doc("deviation-license-int", { license: 123 }, { deviation: { reason: "license must be a string or list of strings", oursValid: false } }),
  doc("deviation-license-bool", { license: true }, { deviation: { reason: "license must be a string or list of strings", oursValid: false } }),
  doc("deviation-license-old-int", { license: ["MIT", 1], time: "2015-01-01" }, { deviation: { reason: "non-string license entries are errors whatever the release date", oursValid: false } }),
  doc("deviation-platform-name", { name: "php" }, { deviation: { reason: "a platform package name is not a package name", oursValid: false } }),
  doc("deviation-long-name", { name: LONG_NAME }, { deviation: { reason: "names are capped at 255 characters", oursValid: false } }),
  doc("deviation-time-relative", { time: "yesterday" }, { deviation: { reason: "only ISO-8601 release dates", oursValid: false } }),
  doc("deviation-time-words", { time: "Jan 2 2024" }, { deviation: { reason: "only ISO-8601 release dates", oursValid: false } }),
  doc("deviation-time-compact", { time: "20240102" }, { deviation: { reason: "only ISO-8601 release dates", oursValid: false } }),
  doc("deviation-time-slashes", { time: "2024/01/02" }, { deviation: { reason: "only ISO-8601 release dates", oursValid: false } }),
];
