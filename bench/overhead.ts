// npm run bench:overhead: Satchel's warm authenticated p2 on one server process against the bare
// Hono anchor (bench/bare-app.ts: the same bytes after a token Map lookup) on the same runtime,
// gzip and identity, as server CPU per request (bench/cpu.ts) and req/s, rounds interleaved.
// A quick check for overhead work (bench/PROFILE.md); `npm run bench` has the full picture.
// BENCH_RUNTIME=node (default), bun or deno chooses the runtime; BENCH_SECONDS the round length.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { adminToken, uploadInOrder, verifiedP2 } from "./api.ts";
import { HOT, HOT_VERSIONS, hotReleases } from "./fixtures.ts";
import { measure, type Target } from "./measure.ts";
import { startBare, startSingle, type Runtime } from "./servers.ts";

const runtime = (process.env.BENCH_RUNTIME ?? "node") as Runtime;
const seconds = Number(process.env.BENCH_SECONDS || 5);
const work = await mkdtemp(path.join(os.tmpdir(), "satchel-overhead-"));
const satchel = await startSingle(path.join(work, "data"), runtime);
try {
  const token = await adminToken(satchel.url);
  await uploadInOrder(satchel.url, token, hotReleases());
  const body = await verifiedP2(satchel.url, token, HOT, HOT_VERSIONS);
  const bodyFile = path.join(work, "p2.json");
  await writeFile(bodyFile, body);
  await writeFile(`${bodyFile}.gz`, gzipSync(body));
  const bare = await startBare(runtime, bodyFile, token);
  try {
    for (const gzip of [true, false]) {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(gzip ? { "Accept-Encoding": "gzip" } : {}) };
      const target = (name: string, server: typeof satchel): Target => ({ name, server, path: `/p2/${HOT}.json`, headers, check: async () => undefined });
      const [ours, anchor] = await measure([target("satchel", satchel), target("bare", bare)], { threads: 1, connections: 32, seconds }, 3, gzip ? "gzip" : "identity");
      console.log(
        `${runtime} ${gzip ? "gzip    " : "identity"}: satchel ${ours!.requestsPerSecond} req/s ${ours!.cpuMicrosPerRequest} µs CPU/req; bare ${anchor!.requestsPerSecond} req/s ${anchor!.cpuMicrosPerRequest} µs; ` +
          `req/s ratio ${(ours!.requestsPerSecond / anchor!.requestsPerSecond).toFixed(2)}, CPU ratio ${(ours!.cpuMicrosPerRequest! / anchor!.cpuMicrosPerRequest!).toFixed(2)}`,
      );
    }
  } finally {
    await bare.stop();
  }
} finally {
  await satchel.stop();
  await rm(work, { recursive: true, force: true });
}
