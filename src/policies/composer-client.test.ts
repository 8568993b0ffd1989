import { describe, expect, it } from "vitest";
import { composerVersionOf, isOlderComposer } from "./composer-client.ts";

describe("composerVersionOf", () => {
  it("reads Composer's own User-Agent", () => {
    expect(composerVersionOf("Composer/2.7.1 (Linux; 6.1.0; PHP 8.2.7; cURL 7.88.1)")).toBe("2.7.1.0");
    expect(composerVersionOf("Composer/2.10.0-RC1 (Darwin; 23.1.0; PHP 8.3.0; cURL 8.4.0)")).toBe("2.10.0.0-RC1");
    expect(composerVersionOf("Composer/1.10.26 (Windows NT; 10.0; PHP 7.4.33)")).toBe("1.10.26.0");
  });
  it("is null for what is not a Composer release", () => {
    for (const ua of [undefined, null, "", "curl/8.4.0", "Mozilla/5.0", "Composer/source", "Composer/@package_version@", "composer/2.7.1", "Composer/", "NotComposer/2.7.1", "Composer/2.x.y (Linux)"]) {
      expect(composerVersionOf(ua), String(ua)).toBeNull();
    }
  });
});

describe("isOlderComposer", () => {
  it("compares as Composer compares versions, and never judges an unknown client", () => {
    expect(isOlderComposer(composerVersionOf("Composer/2.5.5 (Linux)"), "2.6.0.0")).toBe(true);
    expect(isOlderComposer(composerVersionOf("Composer/2.10.0 (Linux)"), "2.9.0.0")).toBe(false);
    expect(isOlderComposer(composerVersionOf("Composer/2.6.0 (Linux)"), "2.6.0.0")).toBe(false);
    expect(isOlderComposer(composerVersionOf("Composer/2.6.0-RC1 (Linux)"), "2.6.0.0")).toBe(true);
    expect(isOlderComposer(composerVersionOf(undefined), "2.6.0.0")).toBe(false);
  });
});
