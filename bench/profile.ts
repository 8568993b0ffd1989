// npm run bench:profile: where a warm p2 request's CPU goes on Node. Starts the Node server in
// this process on a fresh data folder, uploads the hot package, warms up with wrk, then records a
// CPU profile (node:inspector) over one wrk run only (no start-up, no seeding in it) and prints
// the functions with the most self time. Findings: bench/PROFILE.md.
import { Session } from "node:inspector/promises";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startNodeServer } from "../src/node.ts";
import { adminToken, uploadInOrder } from "./api.ts";
import { HOT, hotReleases } from "./fixtures.ts";
import { ADMIN } from "./servers.ts";
import { runWrk } from "./wrk.ts";
import { topSelfTime, type CpuProfile } from "./cpu-profile-top.ts";

const SECONDS = Number(process.env.PROFILE_SECONDS || 10);
const dataDir = await mkdtemp(path.join(os.tmpdir(), "satchel-profile-"));
const server = await startNodeServer({ ...process.env, SATCHEL_DATA_DIR: dataDir, PORT: "0", ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, SATCHEL_DEFAULT_UPSTREAM: "none" });
try {
  const token = await adminToken(server.url);
  await uploadInOrder(server.url, token, hotReleases());
  const load = { url: `${server.url}/p2/${HOT}.json`, headers: { Authorization: `Bearer ${token}`, "Accept-Encoding": "gzip" }, threads: 1, connections: 32 };
  await runWrk({ ...load, seconds: 3 });
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const result = await runWrk({ ...load, seconds: SECONDS });
  const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
  session.disconnect();
  const file = path.join(os.tmpdir(), `satchel-p2-${Date.now()}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  console.log(`${Math.round(result.requestsPerSecond)} req/s while profiled; profile: ${file} (open in Chrome DevTools)\n`);
  console.log(topSelfTime(profile, Number(process.env.PROFILE_TOP || 30)));
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
