// The three servers under test, each a separate process (so the bench script, wrk and the
// server never share one event loop): Satchel on Node, Satchel on wrangler dev, and nginx
// serving a static copy of the same p2 bytes (the anchor).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface Server {
  name: string;
  url: string;
  stop(): Promise<void>;
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
    const ok = await fetch(url + readyPath).then((response) => response.ok, () => false);
    if (ok) return { name, url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer ${readyPath} within ${timeoutMs / 1000} s:\n${output}`);
    }
    await sleep(250);
  }
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
  };
}

/** `node src/node.ts` (npm run serve) on `dataDir`. */
export async function startNode(dataDir: string): Promise<Server> {
  const port = await freePort();
  return launch("node", process.execPath, ["src/node.ts"], satchelEnv(dataDir, port), `http://127.0.0.1:${port}`, "/healthz", 30_000);
}

/** `node scripts/start.ts` (npm start: wrangler dev + workerd). Its git worker stub exits at once: ignored. */
export async function startWrangler(dataDir: string): Promise<Server> {
  const port = await freePort();
  return launch("wrangler dev", process.execPath, ["scripts/start.ts"], satchelEnv(dataDir, port), `http://127.0.0.1:${port}`, "/healthz", 120_000, /Build failed/);
}

/** nginx (one worker, like Node's one event loop) serving `body` as /p2/{name}.json from a temp dir. */
export async function startNginx(packageName: string, body: Uint8Array): Promise<Server> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-bench-nginx-"));
  const file = path.join(dir, "www", "p2", `${packageName}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, body);
  // Composer always asks for gzip: nginx serves a pre-compressed copy (gzip_static), as Satchel
  // serves its gzipped body made once.
  await writeFile(`${file}.gz`, gzipSync(body, { level: 6 }));
  const server = await startStaticNginx(dir, await freePort(), { gzipStatic: true });
  return { ...server, stop: () => server.stop().then(() => rm(dir, { recursive: true, force: true })) };
}

/** nginx (one worker) serving `dir`/www as static files on `port`, with /healthz. */
export async function startStaticNginx(dir: string, port: number, options: { gzipStatic?: boolean } = {}): Promise<Server> {
  const nginx = spawnSync("sh", ["-c", "command -v nginx || ls /usr/sbin/nginx"], { encoding: "utf8" }).stdout.trim().split("\n")[0];
  if (!nginx) throw new Error("nginx not found: apt-get install -y nginx-light");
  // Worker processes drop to `nobody` when run as root: the docroot must be world-readable.
  spawnSync("chmod", ["-R", "a+rX", dir]);
  const conf = path.join(dir, "nginx.conf");
  await writeFile(
    conf,
    `daemon off;
worker_processes 1;
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
