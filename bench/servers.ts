// The servers under test, each a separate process group (so the bench script, wrk and the
// server never share one event loop): Satchel as `npm run serve` (Bun or Node, every core) or one
// process, on npm start, the production bundle on workerd, and the anchors: nginx serving a
// static copy of the same p2 bytes, and a bare Hono app returning them after a token lookup.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { bunBinary } from "../scripts/bun-binary.ts";
import { denoBinary, denoRunArgs } from "../scripts/deno-binary.ts";

export interface Server {
  name: string;
  url: string;
  /** The process group's id: every process of the server (cluster workers, workerd) is in it. */
  pgid?: number;
  stop(): Promise<void>;
}

export type Runtime = "bun" | "node" | "deno";
let bun: string | undefined;
let deno: string | undefined;
/** The command and arguments that run `file` on `runtime`. */
function runOn(runtime: Runtime, file: string): [string, string[]] {
  if (runtime === "bun") return [(bun ??= bunBinary().path), [file]];
  if (runtime === "deno") return [(deno ??= denoBinary().path), denoRunArgs(file)];
  return [process.execPath, [file]];
}

export const root = path.resolve(import.meta.dirname, "..");
export const ADMIN = { username: "admin", password: "admin-password" };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawns `command` in its own process group, so stop() also ends its children (wrangler → workerd). */
async function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, url: string, readyPath: string, timeoutMs: number, fatal?: RegExp): Promise<Server> {
  let output = "";
  const child: ChildProcess = spawn(command, args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A server dying mid-measurement explains socket errors in wrk: say so at once.
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`${name} (pid ${child.pid}) exited unexpectedly: code ${code}, signal ${signal}\n${output.slice(-2000)}`);
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  // A crashed bench must not leave servers behind.
  const onExit = () => kill("SIGKILL");
  process.once("exit", onExit);
  const stop = async () => {
    process.off("exit", onExit);
    stopping = true;
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    kill("SIGKILL"); // stragglers in the group (workerd) after the leader left
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${output}`);
    // wrangler dev keeps running after a failed build: do not wait out the timeout.
    if (fatal?.test(output)) {
      await stop();
      throw new Error(`${name} failed to start:\n${output}`);
    }
    // An empty readyPath waits for the port only: the first HTTP request is left to the bench.
    const ok = readyPath === "" ? await portOpen(url) : await fetch(url + readyPath).then((response) => response.ok, () => false);
    if (ok) return { name, url, pgid: child.pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer ${readyPath} within ${timeoutMs / 1000} s:\n${output}`);
    }
    await sleep(250);
  }
}

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function satchelEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SATCHEL_DATA_DIR: dataDir,
    PORT: String(port),
    ADMIN_USER: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    SATCHEL_DEFAULT_UPSTREAM: "none",
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    // Under Bun, the git worker runs on this Node (scripts/supervisor.ts).
    SATCHEL_NODE: process.execPath,
  };
}

/** `node src/node.ts`: one Node server process on `dataDir` (seeding, and the proxy bench). */
export async function startNode(dataDir: string): Promise<Server> {
  return startSingle(dataDir, "node");
}

/** One server process without a git worker: `node src/node.ts`, `bun src/bun.ts` or `deno run src/deno.ts`. */
export async function startSingle(dataDir: string, runtime: Runtime): Promise<Server> {
  const port = await freePort();
  return launch(`${runtime} 1 process`, ...runOn(runtime, `src/${runtime}.ts`), satchelEnv(dataDir, port), `http://127.0.0.1:${port}`, "/healthz", 30_000);
}

/** `npm run serve` (Bun), `npm run serve:node` or `npm run serve:deno`: one process per core plus the git worker. */
export async function startServe(dataDir: string, runtime: Runtime, workers: number): Promise<Server> {
  const port = await freePort();
  const env = { ...satchelEnv(dataDir, port), SATCHEL_WORKERS: String(workers) };
  return launch(`${runtime === "bun" ? "serve" : `serve:${runtime}`} x${workers}`, ...runOn(runtime, "scripts/serve.ts"), env, `http://127.0.0.1:${port}`, "/healthz", 60_000);
}

/** `npm run build`: the production bundle in dist/, built from the code being measured. */
export function buildBundle(): void {
  const wrangler = path.join(root, "node_modules", ".bin", "wrangler");
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };
  const built = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", "dist"], { cwd: root, env, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
}

/** The production bundle (dist/worker.js) on workerd through Miniflare, without wrangler. */
export async function startWorkerdDirect(dataDir: string): Promise<Server> {
  const port = await freePort();
  await mkdir(dataDir, { recursive: true });
  // Ready when the port is open (bench/workerd-direct.ts opens it after the migrations): the
  // bench's first request is then the one that creates the isolate.
  return launch("workerd (bundle)", process.execPath, ["bench/workerd-direct.ts", String(port), dataDir], process.env, `http://127.0.0.1:${port}`, "", 60_000);
}

/** bench/bare-app.ts on `runtime`: `body` after a token lookup (gzip from body.gz). */
export async function startBare(runtime: Runtime, bodyFile: string, token: string): Promise<Server> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), BARE_TOKEN: token, BARE_BODY: bodyFile };
  return launch(`bare Hono ${runtime}`, ...runOn(runtime, "bench/bare-app.ts"), env, `http://127.0.0.1:${port}`, "/healthz", 30_000);
}

/** `node scripts/start.ts` (npm start: the Worker bundle on workerd through Miniflare, local D1 + R2, and a git worker). */
export async function startWrangler(dataDir: string): Promise<Server> {
  const port = await freePort();
  return launch("npm start", process.execPath, ["scripts/start.ts"], satchelEnv(dataDir, port), `http://127.0.0.1:${port}`, "/healthz", 120_000, /Build failed/);
}

/** nginx (`workers` worker processes) serving `body` as /p2/{name}.json from a temp dir. */
export async function startNginx(packageName: string, body: Uint8Array, workers = 1): Promise<Server> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-bench-nginx-"));
  const file = path.join(dir, "www", "p2", `${packageName}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, body);
  // Composer always asks for gzip: nginx serves a pre-compressed copy (gzip_static), as Satchel
  // serves its gzipped body made once.
  await writeFile(`${file}.gz`, gzipSync(body, { level: 6 }));
  const server = await startStaticNginx(dir, await freePort(), { gzipStatic: true, workers });
  return { ...server, name: `nginx x${workers}`, stop: () => server.stop().then(() => rm(dir, { recursive: true, force: true })) };
}

/** nginx serving `dir`/www as static files on `port`, with /healthz (one worker unless told). */
export async function startStaticNginx(dir: string, port: number, options: { gzipStatic?: boolean; workers?: number } = {}): Promise<Server> {
  const nginx = spawnSync("sh", ["-c", "command -v nginx || ls /usr/sbin/nginx"], { encoding: "utf8" }).stdout.trim().split("\n")[0];
  if (!nginx) throw new Error("nginx not found: apt-get install -y nginx-light");
  // Worker processes drop to `nobody` when run as root: the docroot must be world-readable.
  spawnSync("chmod", ["-R", "a+rX", dir]);
  const conf = path.join(dir, "nginx.conf");
  await writeFile(
    conf,
    `daemon off;
worker_processes ${options.workers ?? 1};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  ${options.gzipStatic ? "gzip_static on;" : ""}
  keepalive_requests 1000000;
  types { application/json json; application/zip zip; }
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fastcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location = /healthz { return 200 "ok"; }
  }
}
`,
  );
  return launch("nginx", nginx, ["-p", dir, "-c", conf, "-e", `${dir}/error.log`], process.env, `http://127.0.0.1:${port}`, "/healthz", 10_000);
}
