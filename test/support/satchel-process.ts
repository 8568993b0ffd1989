// Starts Satchel as a user would, in a child process: `node scripts/serve.ts` (npm run serve:node),
// `bun scripts/serve.ts` (npm run serve, the real binary found as scripts/bun-binary.ts finds it),
// `deno run scripts/serve.ts` (npm run serve:deno) or `node scripts/start.ts` (npm start: the
// Worker on workerd; `--watch`, npm run dev: wrangler dev), on a fresh data folder and port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { bunBinary } from "../../scripts/bun-binary.ts";
import { denoBinary, denoRunArgs } from "../../scripts/deno-binary.ts";

export type Runtime = "node" | "bun" | "deno" | "workerd";

export interface SatchelProcess {
  url: string;
  /** The process started (under `npm run serve`, the primary of the server processes). */
  pid: number;
  dataDir: string;
  output(): string;
  /** A token for the admin the process was started with. */
  adminToken(): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Ctrl-C in a terminal: `signal` to every process of the group (started with `processGroup`). */
  stopGroup(signal: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Its own process group, as a shell gives a command, so stopGroup can signal all of it. */
  processGroup?: boolean;
  /** More arguments for the script (`--watch`: npm run dev). */
  args?: string[];
  /** An existing data folder (a restart on the same data) instead of a fresh one. */
  dataDir?: string;
}

const root = path.resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startSatchel(runtime: Runtime, env: Record<string, string> = {}, options: StartOptions = {}): Promise<SatchelProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), `satchel-${runtime}-`)));
  const port = await freePort();
  const script = runtime === "workerd" ? "scripts/start.ts" : "scripts/serve.ts";
  const [command, scriptArgs] = runtime === "bun" ? [bunBinary().path, [script]] : runtime === "deno" ? [denoBinary().path, denoRunArgs(script)] : [process.execPath, [script]];
  const args = [...scriptArgs, ...(options.args ?? [])];
  let output = "";
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      SATCHEL_NODE: process.execPath,
      SATCHEL_DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_USER: "admin",
      ADMIN_PASSWORD: "admin-password",
      SATCHEL_DEFAULT_UPSTREAM: "none",
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_HIDE_BANNER: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.processGroup ?? false,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const stopped = async () => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`satchel (${runtime}) exited early:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`satchel (${runtime}) did not become healthy:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    pid: child.pid!,
    dataDir,
    output: () => output,
    async adminToken() {
      const response = await fetch(`${url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "admin", password: "admin-password" }) });
      if (response.status !== 201) throw new Error(`admin token: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return stopped();
    },
    async stopGroup(signal) {
      if (!options.processGroup) throw new Error("stopGroup needs startSatchel(..., { processGroup: true })");
      if (child.exitCode === null) process.kill(-child.pid!, signal);
      return stopped();
    },
  };
}
