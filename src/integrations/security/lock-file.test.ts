import { describe, expect, it } from "vitest";
import { LockFileError, MAX_LOCK_BYTES, parseLockFile } from "./lock-file.ts";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

describe("composer.lock parsing", () => {
  it("reads packages and packages-dev with their pinned references", () => {
    const lock = {
      _readme: ["This file locks the dependencies"],
      "content-hash": "abc",
      packages: [{ name: "Acme/Lib", version: "1.1.0", source: { type: "git", url: "x", reference: "abc123" }, dist: { reference: "def" } }],
      "packages-dev": [{ name: "acme/tool", version: "dev-main", dist: { type: "zip", url: "y", reference: "fff" } }],
      aliases: [],
      "minimum-stability": "stable",
      "stability-flags": {},
      "prefer-stable": false,
      "prefer-lowest": false,
      platform: {},
      "platform-dev": {},
      "plugin-api-version": "2.3.0",
    };
    expect(parseLockFile(bytes(lock))).toEqual([
      { name: "acme/lib", version: "1.1.0", reference: "abc123", dev: false },
      { name: "acme/tool", version: "dev-main", reference: "fff", dev: true },
    ]);
  });

  it.each([
    ["invalid JSON", "{\"packages\": [", /not valid JSON/],
    ["a JSON list", "[]", /not a JSON object/],
    ["an unknown key", { packages: [], "evil-key": 1 }, /keys Composer does not write: "evil-key"/],
    ["packages that is no list", { packages: {} }, /"packages" is not a list/],
    ["an entry without a version", { packages: [{ name: "acme/lib" }] }, /"packages"\[0\] has no "name" and "version"/],
  ])("refuses %s with the reason", (_label, content, reason) => {
    expect(() => parseLockFile(bytes(content))).toThrow(LockFileError);
    expect(() => parseLockFile(bytes(content))).toThrow(reason);
  });

  it("refuses a 10 MB file before parsing it", () => {
    const huge = new Uint8Array(10 * 1024 * 1024).fill(0x20);
    expect(() => parseLockFile(huge)).toThrow(`composer.lock is larger than ${MAX_LOCK_BYTES} bytes, the most Satchel reads.`);
  });
});
