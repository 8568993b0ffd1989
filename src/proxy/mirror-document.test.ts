import { describe, expect, it } from "vitest";
import { expandVersions, minifyVersions } from "../composer-rules/minify.ts";
import { prepareMirrorDocument } from "./mirror-document.ts";

const encode = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("prepareMirrorDocument", () => {
  it("keeps only the requested name and points zip dists at Satchel, remembering the originals", async () => {
    const versions = [
      { name: "psr/log", version: "3.0.0", version_normalized: "3.0.0.0", dist: { type: "zip", url: "https://api.github.com/repos/php-fig/log/zipball/abc", reference: "abc123", shasum: SHA.toUpperCase() } },
      { name: "psr/log", version: "2.0.0", version_normalized: "2.0.0.0", dist: { type: "tar", url: "https://example.com/x.tar", reference: "def456", shasum: "" } },
    ];
    const prepared = await prepareMirrorDocument("psr/log", encode({ minified: "composer/2.0", packages: { "psr/log": minifyVersions(versions), "evil/other": [{ version: "1.0.0" }] } }));
    if (prepared.kind !== "found") throw new Error(prepared.kind);
    const body = JSON.parse(prepared.body) as { packages: Record<string, Record<string, unknown>[]> };
    expect(Object.keys(body.packages)).toEqual(["psr/log"]);
    const expanded = expandVersions(body.packages["psr/log"] ?? []) as { dist: { url: string } }[];
    expect(expanded[0]?.dist.url).toBe("%SATCHEL_BASE%/zipball/psr/log/abc123.zip");
    expect(expanded[1]?.dist.url).toBe("https://example.com/x.tar");
    expect(prepared.dists).toEqual({ abc123: { url: "https://api.github.com/repos/php-fig/log/zipball/abc", type: "zip", shasum: SHA } });
  });

  it("refuses garbage and reports a missing name", async () => {
    expect((await prepareMirrorDocument("a/b", encode("<html>"))).kind).toBe("invalid");
    expect((await prepareMirrorDocument("a/b", new Uint8Array([0xff, 0xfe, 0x00]))).kind).toBe("invalid");
    expect((await prepareMirrorDocument("a/b", encode({ packages: [] }))).kind).toBe("invalid");
    expect((await prepareMirrorDocument("a/b", encode({ packages: { "a/b": "x" } }))).kind).toBe("invalid");
    expect((await prepareMirrorDocument("a/b", encode({ packages: { "a/b": [{ version: 1 }] } }))).kind).toBe("invalid");
    expect((await prepareMirrorDocument("a/b", encode({ packages: { "c/d": [] } }))).kind).toBe("missing");
    // A reference that could escape the blob key space keeps its original URL.
    const escaping = await prepareMirrorDocument("a/b", encode({ packages: { "a/b": [{ version: "1.0.0", dist: { type: "zip", url: "https://x.test/a.zip", reference: "../../secret" } }] } }));
    expect(escaping.kind === "found" && Object.keys(escaping.dists)).toEqual([]);
  });

  it("gives an archive without a reference one made from its URL (Packeton #111), so it is mirrored", async () => {
    const url = "https://repo.magento.test/archives/magento/module-a/magento-module-a-1.0.0.0.zip";
    const prepared = await prepareMirrorDocument("magento/module-a", encode({ packages: { "magento/module-a": [{ version: "1.0.0", dist: { type: "zip", url, reference: null, shasum: SHA } }] } }));
    if (prepared.kind !== "found") throw new Error(prepared.kind);
    const [reference] = Object.keys(prepared.dists);
    expect(reference).toMatch(/^[0-9a-f]{40}$/);
    expect(prepared.dists[reference!]).toEqual({ url, type: "zip", shasum: SHA });
    const entry = expandVersions(JSON.parse(prepared.body).packages["magento/module-a"])[0] as { dist: { url: string; reference: string } };
    expect(entry.dist).toMatchObject({ reference, url: `%SATCHEL_BASE%/zipball/magento/module-a/${reference}.zip` });
    // Stable: the same URL gives the same reference on the next refresh.
    const again = await prepareMirrorDocument("magento/module-a", encode({ packages: { "magento/module-a": [{ version: "1.0.0", dist: { type: "zip", url } }] } }));
    expect(again.kind === "found" && Object.keys(again.dists)).toEqual([reference]);
  });
});
