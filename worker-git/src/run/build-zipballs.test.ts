import { describe, expect, it } from "vitest";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import { knownZipballs, zipballPrefix } from "./build-zipballs.ts";

const entry = (dist: VersionEntry["dist"]): VersionEntry => ({ name: "acme/widget", version: "1.0.0", version_normalized: "1.0.0.0", dist }) as VersionEntry;

describe("knownZipballs", () => {
  it("maps each published commit to its zip's shasum, skipping entries without one", () => {
    const known = knownZipballs([
      entry({ type: "zip", url: "u", reference: "a".repeat(40), shasum: "s1" }),
      entry({ type: "zip", url: "u", reference: "b".repeat(40), shasum: "" }),
      entry({ type: "zip", url: "u", reference: "", shasum: "s3" }),
      entry(undefined),
    ]);
    expect([...known]).toEqual([["a".repeat(40), "s1"]]);
  });
});

describe("zipballPrefix", () => {
  it("names the zip's top directory after the package and the commit's first 12 hex digits", () => {
    expect(zipballPrefix("acme/widget", "0123456789abcdef0123456789abcdef01234567")).toBe("acme-widget-0123456789ab");
  });
});
