import { describe, expect, it } from "vitest";
import { composer1Versions, parseComposer1Root, providerFileUrl } from "./composer1-root.ts";

const SHA256 = "a".repeat(64);
const SHA1 = "b".repeat(40);

describe("parseComposer1Root", () => {
  it("reads the provider layout as Composer does (repo.magento.com)", () => {
    const root = parseComposer1Root(
      { packages: [], "providers-url": "/p/%package%$%hash%.json", "provider-includes": { "p/provider-2024$%hash%.json": { sha256: SHA256.toUpperCase() }, "p/bad$%hash%.json": { sha1: SHA1 } } },
      "https://repo.magento.test/sub/packages.json",
    );
    expect(root?.providersUrl).toBe("https://repo.magento.test/p/%package%$%hash%.json");
    expect(root?.providerIncludes).toEqual([{ url: `https://repo.magento.test/sub/p/provider-2024$${SHA256}.json`, hash: { algorithm: "sha256", hex: SHA256 } }]);
    expect(providerFileUrl(root!.providersUrl!, "magento/module-a", SHA256)).toBe(`https://repo.magento.test/p/magento/module-a$${SHA256}.json`);
  });

  it("reads Satis-style includes and inline packages", () => {
    const root = parseComposer1Root({ includes: { [`include/all$${SHA1}.json`]: { sha1: SHA1 } }, packages: { "a/b": { "1.0.0": { version: "1.0.0" } } } }, "https://elts.test/packages.json");
    expect(root?.includes).toEqual([{ url: `https://elts.test/include/all$${SHA1}.json`, hash: { algorithm: "sha1", hex: SHA1 } }]);
    expect(Object.keys(root!.packages)).toEqual(["a/b"]);
  });

  it("is null for a Composer 2 root (metadata-url wins, as in Composer 2) and for an empty one", () => {
    expect(parseComposer1Root({ "metadata-url": "/p2/%package%.json", "providers-url": "/p/%package%$%hash%.json", "provider-includes": { "p/x$%hash%.json": { sha256: SHA256 } } }, "https://x.test/packages.json")).toBeNull();
    expect(parseComposer1Root({ packages: [] }, "https://x.test/packages.json")).toBeNull();
  });
});

describe("composer1Versions", () => {
  it("turns name -> version -> entry into p2 lists, branches apart", () => {
    const versions = composer1Versions({ "a/b": { "1.0.0": { version: "1.0.0" }, "dev-main": { version: "dev-main" }, "2.x-dev": { version: "2.x-dev" }, junk: "x" } }, "a/b");
    expect(versions?.tags.map((entry) => entry.version)).toEqual(["1.0.0"]);
    expect(versions?.dev.map((entry) => entry.version)).toEqual(["dev-main", "2.x-dev"]);
    expect(versions?.tags[0]?.name).toBe("a/b");
    expect(composer1Versions({ "a/b": {} }, "c/d")).toBeNull();
  });
});
