// `satchel-git run`: claim jobs from the edge forever (SATCHEL_URL, WORKER_TOKEN), up to
// SATCHEL_GIT_CONCURRENCY at a time. Several workers may run at once too: the edge hands each job
// to one claimer under a lease, and never runs two jobs of one package together. A killed worker loses nothing: its lease expires and the
// job is claimed again.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { redactUrl } from "../../../src/http/redact.ts";
import { RepositoryError } from "../drivers/driver.ts";
import { BUILD_ZIPBALL } from "../../../src/jobs/wire.ts";
import { EdgeClient, EdgeError, type JobContext } from "./edge-client.ts";
import { openDriver } from "./open-driver.ts";
import { JobFailure, processJob, type JobDeps } from "./process-job.ts";
import { workerSettingsFrom, type WorkerSettings } from "./worker-settings.ts";

const CLAIM_WAIT_MS = 20_000;
/** The lease of an on-demand build (heartbeats renew it every third of it). */
const BUILD_LEASE_MS = 15_000;

export async function runCommand(_argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = env.SATCHEL_URL;
  const token = env.WORKER_TOKEN;
  if (!url || !token) {
    process.stderr.write("satchel-git run: set SATCHEL_URL (the edge's base URL) and WORKER_TOKEN.\n");
    return 2;
  }
  let settings: WorkerSettings;
  try {
    settings = workerSettingsFrom(env);
  } catch (error) {
    process.stderr.write(`satchel-git run: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const edge = new EdgeClient(url, token, `${hostname()}-${process.pid}`);
  const knownHosts = env.SATCHEL_SSH_KNOWN_HOSTS ? await readFile(env.SATCHEL_SSH_KNOWN_HOSTS, "utf8") : undefined;
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${redactUrl(message)}\n`);
  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort());
  // Started beside the edge (npm start / npm run serve), the worker usually comes up first:
  // wait quietly for the edge, and say so only if that takes long.
  await waitForEdge(edge, url, log, stop.signal);
  if (stop.signal.aborted) return 0;
  log(`satchel-git worker ${edge.workerId} polling ${url} (${settings.concurrency} jobs at a time)`);
  const deps = {
    edge,
    openDriver: (context: JobContext & { repository: string }) => openDriver(context, { knownHosts, hostTimeouts: settings.git }),
    allowLocalRepos: env.SATCHEL_ALLOW_LOCAL_REPOS === "1",
    deferZipballs: settings.deferZipballs,
    log,
  };
  // Several slots, each claiming its own job: a host that hangs holds one slot, not the worker.
  // One more slot takes only on-demand zipball builds, which a Composer request waits for: they
  // start within the claim's ~250 ms poll even while every other slot reads a large repository.
  const slots = Array.from({ length: settings.concurrency }, () => claimLoop(deps, settings.leaseMs, stop.signal));
  // Its short lease lets another worker take over a build soon after this one dies mid-way.
  slots.push(claimLoop(deps, Math.min(settings.leaseMs, BUILD_LEASE_MS), stop.signal, [BUILD_ZIPBALL]));
  await Promise.all(slots);
  log("stopping");
  return 0;
}

async function claimLoop(deps: JobDeps, leaseMs: number, stop: AbortSignal, kinds?: string[]): Promise<void> {
  const { edge, log } = deps;
  let backoffMs = 1000;
  while (!stop.aborted) {
    let job;
    try {
      job = await edge.claim(CLAIM_WAIT_MS, leaseMs, stop, kinds);
      backoffMs = 1000;
    } catch (error) {
      if (stop.aborted) break;
      // The edge restarting or unreachable: wait and retry, without spinning.
      log(`claim failed: ${error instanceof Error ? error.message : String(error)}; retrying in ${backoffMs} ms`);
      await sleep(backoffMs, stop);
      backoffMs = Math.min(backoffMs * 2, 30_000);
      continue;
    }
    if (!job) continue;
    const heartbeat = setInterval(() => void edge.heartbeat(job.id, leaseMs).catch(() => undefined), leaseMs / 3);
    try {
      await processJob(job, deps);
    } catch (error) {
      const reason = failureReason(error);
      log(`job ${job.id} failed: ${reason}`);
      await edge.fail(job.id, reason).catch((failError: unknown) => log(`could not report the failure: ${String(failError)}`));
    } finally {
      clearInterval(heartbeat);
    }
  }
}

function failureReason(error: unknown): string {
  if (error instanceof JobFailure || error instanceof RepositoryError || error instanceof EdgeError) return redactUrl(error.message);
  return redactUrl(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

const QUIET_WAIT_MS = 60_000;

async function waitForEdge(edge: EdgeClient, url: string, log: (message: string) => void, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  let warned = false;
  while (!signal.aborted && !(await edge.healthy())) {
    if (!warned && Date.now() - started >= QUIET_WAIT_MS) {
      log(`waiting for the edge at ${url} (GET /healthz does not answer 200 yet)`);
      warned = true;
    }
    await sleep(250, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
