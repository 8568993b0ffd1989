// Where the Bun binary of this install is. npm's `bun` package gets its binary from a platform
// package (@oven/bun-linux-x64, ...); its own postinstall then moves it over the stub
// node_modules/bun/bin/bun.exe. Install scripts are blocked here (package.json allowScripts),
// so on a clean `npm ci` the stub stays a shell script that only prints an error: the platform
// package's bin/bun is the real binary. Both are tried, each must answer `--version`.
import path from "node:path";
import { firstWorking, packageDir } from "./runtime-binary.ts";

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
  return firstWorking(candidates, (stdout) => (/^\d+\.\d+/.test(stdout.trim()) ? stdout.trim() : undefined), [
    "No working Bun binary found. `npm ci` installs it from the `bun` package's platform package (@oven/bun-<os>-<arch>).",
    "Run `npm ci` (without --omit=optional), or set SATCHEL_BUN to a Bun binary, or use `npm run serve` (Node).",
  ]);
}
