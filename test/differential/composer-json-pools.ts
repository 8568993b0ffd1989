// Value pools the composer.json corpus draws from. `good` values pass Composer's validation
// (possibly with a warning); `bad` ones are wrong types, bad names, bad constraints, bad URLs,
// bad dates... Every value here is one PHP and the TypeScript port must judge alike.
export interface Pool {
  good: unknown[];
  bad: unknown[];
}

export const GOOD_URLS = [
  "https://example.com", "http://example.com/path?q=1#frag", "https://user:pass@example.com:8080/x",
  "https://[::1]/", "http://localhost", "https://example.com:65535", "https://ex ample.com",
  "https://例え.jp/パス", "https://example.com:0/", "https://a@b@example.com/", "http://x.y?z", "https://x#y",
];
export const BAD_URLS = [
  "ftp://example.com", "example.com", "//example.com", "http://", "http:///x", "https://:80",
  "HTTP://EXAMPLE.COM", "javascript:alert(1)", "http://0", "https://example.com:65536",
  "https://example.com:99999", "http://a:b", "mailto:x@example.com", "https://example.com:80a",
  "http://@/", "a.com:80", "https://x.com:-1", "https://x:123456", "file:///etc/passwd",
  "https://", "http:example.com", ":80", "http://user@:80", "data:text/html,hi", " https://example.com",
  "https\u0000://x.com", "h ttp://x.com",
];
export const GOOD_EMAILS = [
  "a@b.co", "first.last@example.com", "x+tag@sub.example.org", '"quoted"@example.com',
  "a@[127.0.0.1]", "user@[IPv6:2001:db8::1]", "a@b.c", "o'brien@example.ie", "xn--bcher-kva@xn--bcher-kva.ch",
];
export const BAD_EMAILS = [
  "a@b", "not an email", "@example.com", "a@-b.com", "ü@example.com", "a..b@example.com",
  "a@example..com", `${"x".repeat(65)}@example.com`, "a@b.co\n", "", "a@b_c.com", "a b@c.com",
  `a@${"d".repeat(64)}.com`, "a@[300.1.1.1]",
];
export const GOOD_DATES = [
  "2020-01-02", "2020-01-02 03:04:05", "2020-01-02T03:04:05Z", "2020-01-02T03:04:05+02:00",
  "2020-01-02T03:04:05.123456-0530", "2020-02-30", "2020-01-00", "2019-12-31T24:00:00Z",
  "2020-01-02T03:04:05 UTC", "@1577934245", " 2020-01-02 ", "2020-06-15T12:00:00+14:00",
  "2016-02-29T23:59:60Z", "2099-01-01T00:00:00Z", "2020-00-10", "1969-07-20T20:17:40z", "2020-01-02T03:04",
  "2020-01-02t03:04:05GMT", "2020-01-02T03:04:05-00:00", "2020-01-02 +05:45",
];
export const BAD_DATES = [
  "not a date", "2020-13-01", "2020-01-32", "1577934245", "0", "2020-01-02T25:00:00",
  "2020-01-02T23:60:00Z", "2020-01-02T03:04:05+99:99", "2020-01-02TZ", "2020-01-02 00",
  "2020-01-02T03:04:05ZZ", "2020-01-02T03:04:05+12:60", "@ 5", "2020-01-02T03:04:05,5Z",
];
export const GOOD_CONSTRAINTS = [
  "^1.0", "~2.3", ">=1.0 <2.0", "1.0.*", "*", "dev-main", "1.0.0", "^1.0 || ^2.0", ">=7.4",
  "self.version", "1.0.x-dev", "@dev", "^1.2@beta", "v1.2.3", "~1.0,>=1.0.5", ">1.0 <1.5 | >2",
  "1.0 - 2.0", "!=1.5", "<2", "2.0.0-RC1", "^0.3", "~1", "1.*", "dev-feature/x as 1.0.0", ">= 1.0",
  "*@dev", "x", "3.x-dev", "1.0.0+build.5", "dev-master#abc123",
];
export const BAD_CONSTRAINTS = [
  "not a constraint", "", "^", ">=", "1.0.0.0.0", "~", "^1.0 ||", "foo bar baz", "1.0 ,, 2.0",
  ">=1.0 <2.0 >", "^1.0@bogus", "=> 1.0", "1.0 as", 5, null, ["^1.0"], true, "^1.0 | | ^2",
];

const authors = (): Pool => ({
  good: [
    [{ name: "Ada Lovelace", email: "ada@example.com", homepage: "https://ada.example", role: "Developer" }],
    [{ name: "Bo" }, { email: "bo@example.com", name: "Bo Two" }],
    [{ name: "No Mail", email: "not an email" }],
    [{ homepage: "ftp://x.com" }],
    [{ name: "X", homepage: "" }],
    [{ email: "bad" }, { name: "Kept" }],
    { lead: { name: "Keyed" } },
    [{ name: "Y", extra: 5 }],
    [["just a list"]],
    ...GOOD_EMAILS.map((email) => [{ name: "E", email }]),
    ...BAD_EMAILS.map((email) => [{ name: "E", email }]),
    ...GOOD_URLS.concat(BAD_URLS).map((homepage) => [{ name: "H", homepage }]),
  ],
  bad: ["Ada", 5, [5], [{ name: 5 }], [{ email: ["a@b.co"] }], [{ role: true }], [null], [{ homepage: 5 }]],
});

const support = (): Pool => ({
  good: [
    { issues: "https://github.com/acme/foo/issues", source: "https://github.com/acme/foo" },
    { email: "help@example.com", irc: "irc://irc.libera.chat/acme", rss: "whatever", chat: "https://chat.example" },
    { irc: "ircs://irc.example.org/room" }, { irc: "https://not-irc.example" }, { email: "nope" },
    { docs: "", forum: "https://forum.example" }, { security: "https://example.com/security", wiki: "bad url" },
    { issues: "ftp://x" }, ["listed"], { unknown: ["kept", 1] },
    ...GOOD_URLS.concat(BAD_URLS).map((url) => ({ issues: url })),
    ...GOOD_EMAILS.concat(BAD_EMAILS).map((email) => ({ email })),
  ],
  bad: ["https://x.com", 5, { issues: 5 }, { email: ["x@y.z"] }, { irc: false }, { chat: null, rss: 1 }],
});

const funding = (): Pool => ({
  good: [
    [{ type: "github", url: "https://github.com/sponsors/acme" }],
    [{ type: "custom", url: "ftp://bad" }], [{ url: "not a url" }], [{ type: "other" }],
    [{ type: "x", url: "https://a.example" }, { type: "y", url: "https://b.example" }],
    ...GOOD_URLS.concat(BAD_URLS).map((url) => [{ type: "custom", url }]),
  ],
  bad: ["https://x", 5, ["https://x"], [{ type: 5 }], [{ url: ["x"] }], [{ url: 5 }]],
});

export function pools(): Record<string, Pool> {
  return {
    description: { good: ["A package", "ümlaut ✓ 中文", " padded ", "0", "multi\nline"], bad: [5, ["x"], true, {}] },
    homepage: { good: [...GOOD_URLS, ...BAD_URLS, "", "   "], bad: [5, ["https://x.com"], false] },
    type: {
      good: ["library", "Project", "metapackage", "composer-plugin", "symfony-bundle", "library\n", "lib rary", "", "0", "a_b", "üml"],
      bad: [5, ["library"], true],
    },
    version: {
      good: ["1.0.0", "v2.3", "dev-main", "1.x-dev", 1, 1.5, true, "1.0.0-beta.1", "2024.01.02"],
      bad: ["not a version", "", "  ", false, [], {}, "1.0.0 as 2.0", "1.0.0-bogus", "dev"],
    },
    keywords: {
      good: [["a", "b"], ["Foo Bar", "x.y", "snake_case", "dash-ed"], ["bad!"], [1, 2.5], ["ünï", "中文"], ["x\n"],
        ["zeta", "alpha", "Beta", "10", "9"], [], {}, { k: "v" }, ["b", "bad?", "a"], "", ["", "ok"]],
      bad: [[true], [null], [["x"]], "string", 5, [{ a: 1 }]],
    },
    time: { good: [...GOOD_DATES, "", "  "], bad: [...BAD_DATES, 5, ["2020-01-01"], 20200102] },
    license: {
      good: ["MIT", ["MIT", "GPL-2.0-or-later"], "proprietary", "(MIT or GPL-2.0)", "", [], "Not A License", " MIT ",
        "Apache-2.0 WITH LLVM-exception", { a: "MIT" }, ["proprietary"], "GPL-3.0+", "LicenseRef-foo"],
      bad: [],
    },
    authors: authors(),
    support: support(),
    funding: funding(),
    autoload: {
      good: [{ "psr-4": { "Acme\\": "src/" } }, { "psr-0": { Acme_: "lib/" } }, { classmap: ["src/"] },
        { files: ["src/functions.php"] }, { "psr-4": { "": "src/" } }, { "exclude-from-classmap": ["/Tests/"] },
        {}, [], { "psr-4": { "Acme\\": ["src/", "lib/"] }, classmap: ["x"] }, { "psr-0": "weird but allowed" }],
      bad: [{ "psr-4": { Acme: "src" } }, { bad: [] }, { "psr-4": "src" }, ["src"], "str", { "psr-4": null }, 5],
    },
    extra: {
      good: [{ "branch-alias": { "dev-main": "1.x-dev" } }, { "branch-alias": { "dev-main": "1.x" } },
        { foo: { bar: [1, 2] }, nested: { deep: { er: true } } }, ["a"], { "branch-alias": { "dev-main": 5 } },
        { "branch-alias": { "1.x": "2.0.x-dev" } }, { "branch-alias": { "dev-main": "main-dev" } }, {},
        { "branch-alias": { "2.x-dev": "2.1.x-dev", "dev-main": "3.0.x-dev" } }, { "branch-alias": {} }],
      bad: [{ "branch-alias": "x" }, "x", 5, true],
    },
    "target-dir": { good: ["Acme/Foo", "", "../x", "./a/../b", "0", "/abs", "a/./b/../c", "..", "a\\..\\b"], bad: [5, ["x"]] },
    bin: { good: ["bin/tool", ["bin/a", "/bin/b"], [], "", { x: "bin/x" }, ["//lead"], ["123"]], bad: [[5], true, 5, [null], [["x"]]] },
    "include-path": { good: [["lib/"], [1], ["a", 2.5], []], bad: [[true], "x", 5, [null]] },
    suggest: {
      good: [{ "ext-intl": "for i18n" }, { "x/y": "self.version", "B/a": "upper", "a/b": " self.version " }, {}, { "9": "n" }],
      bad: [{ "a/b": 5 }, "x", [5], { "a/b": null }],
    },
    abandoned: { good: [true, "acme/new", false, "", "0"], bad: [] },
    "minimum-stability": { good: ["dev", "RC", "stable", "Beta", "ALPHA", ""], bad: ["rc", "Rc", "bogus", 5] },
    scripts: { good: [{ test: "phpunit" }, { test: ["a", "b"] }, {}], bad: ["x", 5] },
    config: {
      good: [{ platform: { php: "8.1" } }, { platform: { "ext-x": false } }, { "sort-packages": true }, "odd", { platform: "8.1" }],
      bad: [{ platform: { php: "bogus" } }, { platform: { php: 5 } }, { platform: { php: true } }],
    },
    "autoload-dev": { good: [{ "psr-4": { "Acme\\Tests\\": "tests/" } }, {}], bad: ["x", 5] },
    archive: { good: [{ name: "acme-foo", exclude: ["/tests"] }, { exclude: [] }, "x"], bad: [{ name: 5 }, { exclude: "x" }] },
    "notification-url": { good: ["https://example.com/notify", ""], bad: [5, ["x"]] },
    "transport-options": { good: [{ ssl: { verify_peer: false } }, {}], bad: ["x", 5] },
    source: { good: [{ type: "git", url: "https://x/y.git", reference: "abc" }, {}], bad: [{ type: "git" }, { type: 5, url: "u", reference: "r" }, { type: "git", url: "-x", reference: "r" }, { type: "git", url: "u", reference: "-r" }, "x"] },
    dist: { good: [{ type: "zip", url: "https://x/y.zip" }, { type: "zip", url: "u", reference: 5 }], bad: [{ url: "u" }, { type: "zip", url: "u", reference: 1.5 }, "x"] },
  };
}
