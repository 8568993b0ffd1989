// `satchel-git run`: claim jobs from the edge forever (SATCHEL_URL, WORKER_TOKEN). Several
// workers may run at once: the edge hands each job to one worker under a lease, and never runs
// two jobs of one package together. A killed worker loses nothing: its lease expires and the
// job is claimed again.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { redactUrl } from "../../../src/http/redact.ts";
import { RepositoryError } from "../drivers/driver.ts";
import { EdgeClient, EdgeError } from "./edge-client.ts";
import { openDriver } from "./open-driver.ts";
import { JobFailure, processJob } from "./process-job.ts";

const LEASE_MS = 60_000;
const CLAIM_WAIT_MS = 20_000;

export async function runCommand(_argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = env.SATCHEL_URL;
  const token = env.WORKER_TOKEN;
  if (!url || !token) {
    process.stderr.write("satchel-git run: set SATCHEL_URL (the edge's base URL) and WORKER_TOKEN.\n");
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
  log(`satchel-git worker ${edge.workerId} polling ${url}`);
  let backoffMs = 1000;
  while (!stop.signal.aborted) {
    let job;
    try {
      job = await edge.claim(CLAIM_WAIT_MS, LEASE_MS, stop.signal);
      backoffMs = 1000;
    } catch (error) {
      if (stop.signal.aborted) break;
      // The edge restarting or unreachable: wait and retry, without spinning.
      log(`claim failed: ${error instanceof Error ? error.message : String(error)}; retrying in ${backoffMs} ms`);
      await sleep(backoffMs, stop.signal);
      backoffMs = Math.min(backoffMs * 2, 30_000);
      continue;
    }
    if (!job) continue;
    const heartbeat = setInterval(() => void edge.heartbeat(job.id, LEASE_MS).catch(() => undefined), LEASE_MS / 3);
    try {
      await processJob(job, { edge, openDriver: (context) => openDriver(context, { knownHosts }), allowLocalRepos: env.SATCHEL_ALLOW_LOCAL_REPOS === "1", log });
    } catch (error) {
      const reason = failureReason(error);
      log(`job ${job.id} failed: ${reason}`);
      await edge.fail(job.id, reason).catch((failError: unknown) => log(`could not report the failure: ${String(failError)}`));
    } finally {
      clearInterval(heartbeat);
    }
  }
  log("stopping");
  return 0;
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
