import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "./constant-time.ts";
import { sha1Hex, sha256Hex } from "./digest.ts";
import { fromBase64, toBase64, toBase64Url, toHex } from "./encoding.ts";
import { hmacSha256Hex, randomSecret } from "./hmac.ts";

describe("src/crypto", () => {
  it("digests match the FIPS 180 vectors for 'abc'", async () => {
    expect(await sha1Hex("abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("HMAC-SHA256 matches RFC 4231 test case 2", async () => {
    expect(await hmacSha256Hex("Jefe", "what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("hex and base64 keep every byte value; base64url has no padding or +/", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(Uint8Array.of(0, 15, 255))).toBe("000fff");
    expect([...fromBase64(toBase64(all))]).toEqual([...all]);
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
    expect(() => fromBase64("not base64!")).toThrow();
  });

  it("random secrets are 64 hex characters and differ", () => {
    const [a, b] = [randomSecret(), randomSecret()];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });

  it("constant-time comparison tells equal from different inputs, lengths included", () => {
    expect(constantTimeEqual("secret", "secret")).toBe(true);
    expect(constantTimeEqual("secret", "secreT")).toBe(false);
    expect(constantTimeEqual("secret", "secret!")).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
  });
});
