import { describe, expect, it } from "vitest";
import { expandVersions, minifyVersions } from "../composer-rules/minify.ts";
import { prepareMirrorDocument } from "./mirror-document.ts";

const encode = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("prepareMirrorDocument", () => {
  it("keeps only the requested name and points zip dists at Satchel, remembering the originals", () => {
    const versions = [
      { name: "psr/log", version: "3.0.0", version_normalized: "3.0.0.0", dist: { type: "zip", url: "https://api.github.com/repos/php-fig/log/zipball/abc", reference: "abc123", shasum: SHA.toUpperCase() } },
      { name: "psr/log", version: "2.0.0", version_normalized: "2.0.0.0", dist: { type: "tar", url: "https://example.com/x.tar", reference: "def456", shasum: "" } },
    ];
    const prepared = prepareMirrorDocument("psr/log", encode({ minified: "composer/2.0", packages: { "psr/log": minifyVersions(versions), "evil/other": [{ version: "1.0.0" }] } }));
    if (prepared.kind !== "found") throw new Error(prepared.kind);
    const body = JSON.parse(prepared.body) as { packages: Record<string, Record<string, unknown>[]> };
    expect(Object.keys(body.packages)).toEqual(["psr/log"]);
    const expanded = expandVersions(body.packages["psr/log"] ?? []) as { dist: { url: string } }[];
    expect(expanded[0]?.dist.url).toBe("%SATCHEL_BASE%/zipball/psr/log/abc123.zip");
    expect(expanded[1]?.dist.url).toBe("https://example.com/x.tar");
    expect(prepared.dists).toEqual({ abc123: { url: "https://api.github.com/repos/php-fig/log/zipball/abc", type: "zip", shasum: SHA } });
  });

  it("refuses garbage and reports a missing name", () => {
    expect(prepareMirrorDocument("a/b", encode("<html>")).kind).toBe("invalid");
    expect(prepareMirrorDocument("a/b", new Uint8Array([0xff, 0xfe, 0x00])).kind).toBe("invalid");
    expect(prepareMirrorDocument("a/b", encode({ packages: [] })).kind).toBe("invalid");
    expect(prepareMirrorDocument("a/b", encode({ packages: { "a/b": "x" } })).kind).toBe("invalid");
    expect(prepareMirrorDocument("a/b", encode({ packages: { "a/b": [{ version: 1 }] } })).kind).toBe("invalid");
    expect(prepareMirrorDocument("a/b", encode({ packages: { "c/d": [] } })).kind).toBe("missing");
    // A reference that could escape the blob key space keeps its original URL.
    const escaping = prepareMirrorDocument("a/b", encode({ packages: { "a/b": [{ version: "1.0.0", dist: { type: "zip", url: "https://x.test/a.zip", reference: "../../secret" } }] } }));
    expect(escaping.kind === "found" && Object.keys(escaping.dists)).toEqual([]);
  });
});
