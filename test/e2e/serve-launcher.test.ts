// `npm run serve` (scripts/serve-launcher.ts) runs the server on Bun when the install has a
// working Bun binary, on Node when SATCHEL_RUNTIME=node, refuses another runtime name, and
// stops whole on Ctrl-C (SIGINT to its process group); so does `npm run serve:deno` on Deno.
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/satchel-process.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** `npm run serve` (or the npm script whose command `script` is: `npm run serve:deno`) until healthy, then Ctrl-C. */
async function npmRunServe(env: Record<string, string>, script = ["scripts/serve-launcher.ts"]): Promise<{ output: string; code: number | null; healthy: boolean }> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), "satchel-launcher-"));
  const child = spawn(process.execPath, ["scripts/run-ts.mjs", ...script], {
    cwd: root,
    env: { ...process.env, SATCHEL_DATA_DIR: dataDir, PORT: String(port), ADMIN_USER: "admin", ADMIN_PASSWORD: "admin-password", SATCHEL_DEFAULT_UPSTREAM: "none", SATCHEL_WORKERS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let healthy = false;
  for (let i = 0; i < 240 && child.exitCode === null && !healthy; i++) {
    healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (child.exitCode === null) process.kill(-child.pid!, "SIGINT");
  const code = await exited;
  return { output, code, healthy };
}

describe("npm run serve", () => {
  it("serves on Bun from this install, and stops cleanly on Ctrl-C", async () => {
    const run = await npmRunServe({});
    expect(run.healthy, run.output).toBe(true);
    expect(run.output).toMatch(/Satchel \(Bun, libSQL\) listening/);
    expect(run.code).toBe(0);
  }, 120_000);

  it("serves on Node with SATCHEL_RUNTIME=node", async () => {
    const run = await npmRunServe({ SATCHEL_RUNTIME: "node" });
    expect(run.healthy, run.output).toBe(true);
    expect(run.output).toMatch(/Satchel \(Node, libSQL\) listening/);
    expect(run.code).toBe(0);
  }, 120_000);

  it("npm run serve:deno serves on Deno, on every process asked for, and stops cleanly on Ctrl-C", async () => {
    const run = await npmRunServe({ SATCHEL_WORKERS: "2" }, ["scripts/deno.ts", "scripts/serve.ts"]);
    expect(run.healthy, run.output).toBe(true);
    expect(run.output).toMatch(/Satchel \(Deno, libSQL, 2 processes\) listening/);
    expect(run.code).toBe(0);
  }, 120_000);

  it("refuses a runtime it does not have", async () => {
    const run = await npmRunServe({ SATCHEL_RUNTIME: "deno" });
    expect(run.healthy).toBe(false);
    expect(run.output).toMatch(/SATCHEL_RUNTIME must be "bun" or "node"/);
    expect(run.code).toBe(1);
  }, 60_000);
});
