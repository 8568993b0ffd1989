import { describe, expect, it } from "vitest";
import { filterUrl, isValidEmail, parseUrl } from "./php-filters.ts";

// Expected values are PHP 8.2's own parse_url() and filter_var(FILTER_VALIDATE_EMAIL) output.
const PARSE_URL: Array<[string, { scheme?: string; host?: string } | null]> = [
  ["https://example.com", { scheme: "https", host: "example.com" }],
  ["http://user:pass@host:8080/p?q#f", { scheme: "http", host: "host" }],
  ["a.com:80", { host: "a.com" }],
  ["a.com:80/x", { host: "a.com" }],
  ["//example.com/x", { host: "example.com" }],
  ["http://", null],
  ["http:///x", null],
  ["https://:80", null],
  ["http://[::1]:80/", { scheme: "http", host: "[::1]" }],
  ["mailto:x@y.z", { scheme: "mailto" }],
  ["file:///etc/passwd", { scheme: "file" }],
  ["http://a:b", null],
  ["http://a:65536", null],
  ["http://a:123456", null],
  ["https://x.com:-1", null],
  ["http://0", { scheme: "http", host: "0" }],
  ["a b:80", { host: "a b" }],
  ["a b:80?x", {}],
  [":80", null],
  [":", null],
  ["http:example.com", { scheme: "http" }],
  ["https://a@b@c.com/", { scheme: "https", host: "c.com" }],
  ["http://host:80a", { scheme: "http", host: "host" }],
  ["http://example.com:0/", { scheme: "http", host: "example.com" }],
  ["irc://irc.libera.chat/#php", { scheme: "irc", host: "irc.libera.chat" }],
  ["HTTP://X.COM", { scheme: "HTTP", host: "X.COM" }],
  ["h ttp://x.com", {}],
  ["https://ex ample.com", { scheme: "https", host: "ex ample.com" }],
  ["https://例え.jp/", { scheme: "https", host: "例え.jp" }],
  ["http://@/", null],
  ["http://user@:80", null],
  ["x:1234567", { scheme: "x" }],
];

describe("parseUrl (PHP's parse_url, scheme and host)", () => {
  it.each(PARSE_URL)("%j", (url, expected) => {
    expect(parseUrl(url)).toEqual(expected);
  });
});

describe("filterUrl (ValidatingArrayLoader::filterUrl)", () => {
  it("wants an http(s) scheme, in lowercase, and a non-empty host", () => {
    expect(filterUrl("https://example.com")).toBe(true);
    expect(filterUrl("")).toBe(true);
    expect(filterUrl("HTTPS://example.com")).toBe(false);
    expect(filterUrl("http://0")).toBe(false); // empty("0") is true in PHP
    expect(filterUrl("javascript:alert(1)")).toBe(false);
    expect(filterUrl("//example.com")).toBe(false);
    expect(filterUrl("irc://irc.libera.chat/php", ["irc", "ircs"])).toBe(true);
  });
});

describe("isValidEmail (FILTER_VALIDATE_EMAIL)", () => {
  it.each([
    ["a@b.co", true], ["a@b", false], ['"q"@example.com', true], ["a@[IPv6:2001:db8::1]", true],
    ["ü@example.com", false], ["a..b@example.com", false], [`${"x".repeat(65)}@example.com`, false],
    ["a@b.co\n", false], ["a@-b.com", false], ["o'brien@example.ie", true], [`${"a".repeat(64)}@${"b".repeat(250)}.com`, false],
  ] as const)("%j -> %s", (email, valid) => {
    expect(isValidEmail(email)).toBe(valid);
  });
});
