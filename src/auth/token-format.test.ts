import { describe, expect, it } from "vitest";
import { checksumMatches, hasApiTokenShape, newApiToken } from "./token-format.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("API token format", () => {
  it("makes distinct satchel_ tokens whose checksum matches", () => {
    const made = new Set(Array.from({ length: 200 }, () => newApiToken()));
    expect(made.size).toBe(200);
    for (const token of made) {
      expect(token).toMatch(/^satchel_[0-9A-Za-z]{38}$/);
      expect(hasApiTokenShape(token)).toBe(true);
      expect(checksumMatches(token)).toBe(true);
    }
  });

  it("catches every single-character typo, anywhere after the prefix", () => {
    const token = newApiToken();
    for (let at = "satchel_".length; at < token.length; at++) {
      for (const replacement of ALPHABET) {
        if (replacement === token[at]) continue;
        const typo = token.slice(0, at) + replacement + token.slice(at + 1);
        expect(checksumMatches(typo), typo).toBe(false);
      }
    }
  });

  it("tells JWTs and junk from the format", () => {
    expect(hasApiTokenShape("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")).toBe(false);
    expect(hasApiTokenShape(`satchel_${"a".repeat(37)}`)).toBe(false);
    expect(hasApiTokenShape(`satchel_${"a".repeat(37)}-`)).toBe(false);
  });
});
