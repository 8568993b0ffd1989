import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/satchel-git.js", import.meta.url));

describe("satchel-git on its first start", () => {
  it("strips its TypeScript into an empty program cache and runs", () => {
    const cache = mkdtempSync(path.join(tmpdir(), "satchel-git-first-start-"));
    const run = spawnSync(process.execPath, [BIN, "scan", path.join(cache, "no-such-repository")], { env: { ...process.env, XDG_CACHE_HOME: cache }, encoding: "utf8" });
    expect(run.stderr).not.toMatch(/is not defined/);
    expect(run.stderr).toMatch(/was not found/);
    expect(run.status).toBe(1);
  });
});
