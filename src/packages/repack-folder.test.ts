import { describe, expect, it } from "vitest";
import { repackFolder, safeSlug } from "./repack-folder.ts";

describe("the re-pack folder", () => {
  it("is vendor-name-normalized version", () => {
    expect(repackFolder("acme/lib", "1.2.0.0")).toBe("acme-lib-1.2.0.0");
    expect(repackFolder("acme/lib", "2.0.0.0-beta1")).toBe("acme-lib-2.0.0.0-beta1");
  });

  it("keeps only [a-z0-9._-] and can never leave its parent", () => {
    const hostile = ["../../../tmp/pwn", "..", ".", "a/../b", "a\\..\\b", "C:\\x", "x\0y", "/etc/passwd", "....//....//", "-rf", "ÜBER", "", "%2e%2e%2f"];
    for (const text of hostile) {
      const slug = safeSlug(text);
      expect(slug, text).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(slug, text).not.toContain("..");
      expect(slug.length, text).toBeLessThanOrEqual(120);
    }
    expect(safeSlug("up-slip-1.0.0+../../../tmp/pwn")).toBe("up-slip-1.0.0-.-.-.-tmp-pwn");
    expect(safeSlug("x".repeat(500)).length).toBe(120);
  });
});
