// What finding Bun's and Deno's binaries share (scripts/bun-binary.ts, scripts/deno-binary.ts):
// both come from npm as a platform package holding the binary, plus a postinstall that copies it
// into the main package. Install scripts may be blocked, so each candidate must answer `--version`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { projectRoot } from "./supervisor.ts";

const require = createRequire(path.join(projectRoot, "package.json"));

/** The folder of an installed package, or undefined when npm did not install it (another platform). */
export function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The first candidate whose `--version` prints a version (`versionOf` reads it); throws `help` and what each candidate said. */
export function firstWorking(candidates: string[], versionOf: (stdout: string) => string | undefined, help: string[]): { path: string; version: string } {
  const tried: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const result = spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 20_000 });
    const version = result.status === 0 ? versionOf(result.stdout ?? "") : undefined;
    if (version) return { path: candidate, version };
    tried.push(`${candidate}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim().split("\n")[0]}`);
  }
  throw new Error([...help, ...(tried.length ? ["Tried:", ...tried.map((line) => `  ${line}`)] : [])].join("\n"));
}

/** Runs `binary` with `args` as this process's stand-in: same terminal, signals passed on, its exit code ours. */
export function handOver(binary: string, args: string[]): void {
  // The Node running this is handed on as SATCHEL_NODE: under Bun or Deno, the git worker still runs on Node.
  const child = spawn(binary, args, { stdio: "inherit", env: { ...process.env, SATCHEL_NODE: process.execPath } });
  // Ctrl-C reaches the runtime through the terminal's process group; a signal sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
