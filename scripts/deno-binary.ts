// Where the Deno binary of this install is. npm's `deno` package gets its binary from a platform
// package (@deno/linux-x64-glibc, ...); its postinstall then links it to node_modules/deno/deno
// (without it, its bin.cjs does that on first run). The platform package's binary comes first:
// it is there whether or not install scripts ran. Each must answer `--version`.
import path from "node:path";
import { firstWorking, packageDir } from "./runtime-binary.ts";

/** Candidate binaries, most likely first: $SATCHEL_DENO, the platform package, the deno package's copy. */
export function denoCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const exe = process.platform === "win32" ? "deno.exe" : "deno";
  const target = process.platform === "linux" ? `linux-${process.arch}-glibc` : `${process.platform}-${process.arch}`;
  const fromPlatform = packageDir(`@deno/${target}`);
  const denoPackage = packageDir("deno");
  return [...(env.SATCHEL_DENO ? [env.SATCHEL_DENO] : []), ...(fromPlatform ? [path.join(fromPlatform, exe)] : []), ...(denoPackage ? [path.join(denoPackage, exe)] : [])];
}

/** The first candidate that runs `--version`; throws with what to do when none does. */
export function denoBinary(env: NodeJS.ProcessEnv = process.env): { path: string; version: string } {
  return firstWorkingDeno(denoCandidates(env));
}

export function firstWorkingDeno(candidates: string[]): { path: string; version: string } {
  return firstWorking(candidates, (stdout) => /^deno (\d+\.\d+\S*)/.exec(stdout)?.[1], [
    "No working Deno binary found. `npm ci` installs it from the `deno` package's platform package (@deno/<os>-<arch>).",
    "Run `npm ci` (without --omit=optional), or set SATCHEL_DENO to a Deno binary, or use `npm run serve`.",
  ]);
}

/** How Satchel runs a file on Deno: with every permission, as on Node (it reads and writes its data folder, loads libSQL's native module, spawns git, listens). */
export function denoRunArgs(file: string, args: string[] = []): string[] {
  return ["run", "--allow-all", file, ...args];
}
