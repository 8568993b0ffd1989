import { describe, expect, it } from "vitest";
import { isPrivateAddress, isTrustedTarget } from "./trust.ts";

describe("trust rule", () => {
  it("classifies private, loopback, link-local and metadata addresses", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "::1", "[::1]", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["140.82.121.4", "1.1.1.1", "2606:4700::1111", "8.8.8.8"]) expect(isPrivateAddress(address), address).toBe(false);
  });

  it("allows the upstream's own host and public hosts only", () => {
    const upstream = new URL("http://127.0.0.1:8081");
    expect(isTrustedTarget(new URL("http://127.0.0.1:8081/dist/a.zip"), upstream, [])).toBe(true);
    expect(isTrustedTarget(new URL("http://127.0.0.1:9999/secret"), upstream, [])).toBe(false);
    expect(isTrustedTarget(new URL("http://2130706433/x"), upstream, [])).toBe(false);
    expect(isTrustedTarget(new URL("http://localhost:8081/x"), upstream, [])).toBe(false);
    expect(isTrustedTarget(new URL("http://metadata.google.internal/x"), upstream, [])).toBe(false);
    expect(isTrustedTarget(new URL("https://codeload.github.com/a/b/zip/1"), upstream, ["140.82.121.9"])).toBe(true);
    expect(isTrustedTarget(new URL("https://evil.example.com/a"), upstream, ["10.0.0.5"])).toBe(false);
    expect(isTrustedTarget(new URL("file:///etc/passwd"), upstream, [])).toBe(false);
    expect(isTrustedTarget(new URL("https://user:pw@example.com/a"), upstream, [])).toBe(false);
  });
});
