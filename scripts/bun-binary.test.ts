import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bunBinary, firstWorkingBun } from "./bun-binary.ts";

/** What npm leaves at node_modules/bun/bin/bun.exe when the bun package's postinstall is blocked. */
function postinstallStub(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "bun-stub-")), "bun.exe");
  writeFileSync(file, `echo "Error: Bun's postinstall script was not run." >&2\nexit 1\n`, { mode: 0o755 });
  return file;
}

describe("the Bun binary of this install", () => {
  it("is found although install scripts are blocked, past a stub that does not run", () => {
    const found = bunBinary({ SATCHEL_BUN: postinstallStub() });
    expect(found.version).toMatch(/^1\.\d+\.\d+/);
    expect(found.path).not.toMatch(/bun-stub-/);
  });

  it("is named with what to do when no candidate runs", () => {
    const stub = postinstallStub();
    expect(() => firstWorkingBun([stub, "/nonexistent/bun"])).toThrow(/No working Bun binary found[\s\S]*npm ci[\s\S]*SATCHEL_BUN[\s\S]*postinstall script was not run/);
  });
});
