import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpCode } from "./totp.ts";

const RFC_SECRET = new TextEncoder().encode("12345678901234567890");

describe("TOTP", () => {
  it("matches the RFC 4226 appendix D HOTP values", async () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    for (const [counter, code] of expected.entries()) expect(await hotp(RFC_SECRET, counter)).toBe(code);
  });

  it("matches the RFC 6238 appendix B SHA-1 values (last 6 digits)", async () => {
    const secret = base32Encode(RFC_SECRET);
    const cases: [number, string][] = [[59, "287082"], [1111111109, "081804"], [1111111111, "050471"], [1234567890, "005924"], [2000000000, "279037"]];
    for (const [seconds, code] of cases) expect(await totpCode(secret, seconds * 1000)).toBe(code);
  });

  it("round-trips base32 and accepts one step of drift, not more", async () => {
    expect(base32Decode(base32Encode(RFC_SECRET))).toEqual(RFC_SECRET);
    const secret = base32Encode(RFC_SECRET);
    const now = 1_700_000_000_000;
    expect(await matchTotp(secret, await totpCode(secret, now - 30_000), now)).not.toBeNull();
    expect(await matchTotp(secret, await totpCode(secret, now - 90_000), now)).toBeNull();
    expect(await matchTotp(secret, "abc", now)).toBeNull();
  });

  it("writes an otpauth URI authenticator apps read", () => {
    expect(otpauthUri("ABC", "ann", "Satchel")).toBe("otpauth://totp/Satchel%3Aann?secret=ABC&issuer=Satchel&algorithm=SHA1&digits=6&period=30");
  });
});
