// Where the Bun binary of this install is. npm's `bun` package gets its binary from a platform
// package (@oven/bun-linux-x64, ...); its own postinstall then moves it over the stub
// node_modules/bun/bin/bun.exe. Install scripts are blocked here (package.json allowScripts),
// so on a clean `npm ci` the stub stays a shell script that only prints an error: the platform
// package's bin/bun is the real binary. Both are tried, each must answer `--version`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { projectRoot } from "./supervisor.ts";

const require = createRequire(path.join(projectRoot, "package.json"));

function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** Candidate binaries, most likely first: $SATCHEL_BUN, the platform packages, the bun package's bin. */
export function bunCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "arm64" ? "aarch64" : process.arch;
  const exe = process.platform === "win32" ? "bun.exe" : "bun";
  const flavours = ["", "-baseline", "-musl", "-baseline-musl"];
  const fromPlatform = flavours.map((flavour) => packageDir(`@oven/bun-${platform}-${arch}${flavour}`)).flatMap((dir) => (dir ? [path.join(dir, "bin", exe)] : []));
  const bunPackage = packageDir("bun");
  return [...(env.SATCHEL_BUN ? [env.SATCHEL_BUN] : []), ...fromPlatform, ...(bunPackage ? [path.join(bunPackage, "bin", "bun.exe")] : [])];
}

/** The first candidate that runs `--version`; throws with what to do when none does. */
export function bunBinary(env: NodeJS.ProcessEnv = process.env): { path: string; version: string } {
  return firstWorkingBun(bunCandidates(env));
}

export function firstWorkingBun(candidates: string[]): { path: string; version: string } {
  const tried: string[] = [];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const result = spawnSync(candidate, ["--version"], { encoding: "utf8", timeout: 20_000 });
    const version = result.stdout?.trim() ?? "";
    if (result.status === 0 && /^\d+\.\d+/.test(version)) return { path: candidate, version };
    tried.push(`${candidate}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim().split("\n")[0]}`);
  }
  throw new Error(
    [
      "No working Bun binary found. `npm ci` installs it from the `bun` package's platform package (@oven/bun-<os>-<arch>).",
      "Run `npm ci` (without --omit=optional), or set SATCHEL_BUN to a Bun binary, or use `npm run serve` (Node).",
      ...(tried.length ? ["Tried:", ...tried.map((line) => `  ${line}`)] : []),
    ].join("\n"),
  );
}

/** Runs Bun with `args` as this process's stand-in: same terminal, signals passed on, its exit code ours. */
export function handOverToBun(binary: string, args: string[]): void {
  // The Node running this is handed on as SATCHEL_NODE: under Bun, the git worker still runs on Node.
  const child = spawn(binary, args, { stdio: "inherit", env: { ...process.env, SATCHEL_NODE: process.execPath } });
  // Ctrl-C reaches Bun through the terminal's process group; a signal sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
