import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { denoBinary, firstWorkingDeno } from "./deno-binary.ts";

/** A SATCHEL_DENO that does not run (a wrong path someone set, a half-copied binary). */
function brokenDeno(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "deno-stub-")), "deno");
  writeFileSync(file, `echo "not a deno" >&2\nexit 1\n`, { mode: 0o755 });
  return file;
}

describe("the Deno binary of this install", () => {
  it("is found in the deno package's platform package, past a SATCHEL_DENO that does not run", () => {
    const found = denoBinary({ SATCHEL_DENO: brokenDeno() });
    expect(found.version).toMatch(/^2\.\d+\.\d+/);
    expect(found.path).toMatch(/@deno[/\\]/);
  });

  it("is named with what to do when no candidate runs", () => {
    expect(() => firstWorkingDeno([brokenDeno(), "/nonexistent/deno"])).toThrow(/No working Deno binary found[\s\S]*npm ci[\s\S]*SATCHEL_DENO[\s\S]*not a deno/);
  });
});
