// Where the Worker's workerd CPU goes per Composer request: the production bundle on workerd
// (bench/workerd-direct.ts, no wrangler), the bench packages uploaded, then each kind of request
// (warm p2, zipball, packages.json) sent 12 at a time, as Composer does, while V8's sampling
// profiler runs through Miniflare's inspector. Prints the workerd process group's CPU per request
// and the JavaScript functions with the most self time ("(program)" is workerd's own C++: HTTP,
// the local D1/R2 simulators' SQLite and files). The samples follow wall time, not CPU: check a
// suspect by removing it with bench/workerd-ab.ts (bench/COLD-COMPOSER.md).
// `node bench/workerd-profile.ts [rounds] [--no-build]` (profiles go to $TMPDIR/workerd-*.cpuprofile).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { topSelfTime, type CpuProfile } from "./cpu-profile-top.ts";
import { groupCpuNanos } from "./cpu.ts";
import { buildBundle, freePort, startWorkerdDirect } from "./servers.ts";
import { composerRequests, send } from "./workerd-requests.ts";

const rounds = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 20);
const work = await mkdtemp(path.join(tmpdir(), "workerd-profile-"));
const inspectorPort = await freePort();
process.env.WORKERD_INSPECTOR_PORT = String(inspectorPort);
if (!process.argv.includes("--no-build")) buildBundle();
const server = await startWorkerdDirect(path.join(work, "data"));
try {
  const { headers: auth, kinds } = await composerRequests(server.url);
  const inspector = await connectInspector(inspectorPort);
  for (const [kind, paths] of kinds) {
    await send(server.url, paths, auth); // warm: the measured rounds are repeats
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await inspector.call("Profiler.start");
    const before = groupCpuNanos(server.pgid!);
    const started = performance.now();
    for (let round = 0; round < rounds; round++) await send(server.url, paths, auth);
    const count = paths.length * rounds;
    const cpu = (groupCpuNanos(server.pgid!) - before) / 1e6 / count;
    const wall = (performance.now() - started) / count;
    const { profile } = (await inspector.call("Profiler.stop")) as { profile: CpuProfile };
    const file = path.join(tmpdir(), `workerd-${kind}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.log(`\n## ${kind}: ${count} requests, workerd CPU ${cpu.toFixed(3)} ms/request, wall ${wall.toFixed(3)} ms/request (${file})`);
    console.log(topSelfTime(profile, 25));
  }
  inspector.close();
} finally {
  await server.stop();
}

/** The Chrome DevTools protocol on the user Worker's isolate (the first target workerd lists). */
async function connectInspector(port: number): Promise<{ call(method: string, params?: object): Promise<unknown>; close(): void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { id: string; title?: string; webSocketDebuggerUrl?: string }[];
  const target = targets.find((candidate) => candidate.webSocketDebuggerUrl && !String(candidate.title ?? candidate.id).startsWith("core:"));
  if (!target?.webSocketDebuggerUrl) throw new Error(`no inspector target: ${JSON.stringify(targets)}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", reject);
  });
  let id = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  socket.addEventListener("message", (event: MessageEvent) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      pending.set(++id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 50 });
  return { call, close: () => socket.close() };
}
