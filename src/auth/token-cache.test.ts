import { describe, expect, it } from "vitest";
import { TokenCache } from "./token-cache.ts";

describe("TokenCache rejections", () => {
  it("remembers a refused token for the TTL only, with its reason", () => {
    const cache = new TokenCache(1000);
    cache.reject("bad.token.x", "invalid", 0);
    cache.reject("old.token.y", "expired", 0);
    expect(cache.rejection("bad.token.x", 999)).toBe("invalid");
    expect(cache.rejection("old.token.y", 500)).toBe("expired");
    expect(cache.rejection("bad.token.x", 1000)).toBeUndefined();
    expect(cache.rejection("never.seen.z", 0)).toBeUndefined();
  });

  it("stays bounded under a flood of distinct bad tokens", () => {
    const cache = new TokenCache(60_000, 100);
    for (let i = 0; i < 1000; i++) cache.reject(`bad.${i}.token`, "invalid", 0);
    expect(cache.rejection("bad.999.token", 0)).toBe("invalid");
    expect(cache.rejection("bad.0.token", 0)).toBeUndefined();
  });
});
