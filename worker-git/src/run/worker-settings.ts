// The worker's tunables, read once from the environment by `satchel-git run`: how many jobs run
// at once, the lease it asks for, and how long a git host may stay silent before the job fails.
import { DEFAULT_GIT_TIMEOUTS, type GitTimeouts } from "../drivers/git-timeouts.ts";

export interface WorkerSettings {
  /** Jobs in flight at once (the edge never hands out two jobs of one package together). */
  concurrency: number;
  leaseMs: number;
  git: GitTimeouts;
  /** SATCHEL_GIT_DEFER_ZIPBALLS=0: every zipball is built before publishing (stable shasums for lock files, at the cost of slow first imports). */
  deferZipballs: boolean;
}

/** Every variable is optional; a value out of range is an error (the worker refuses to start). */
export function workerSettingsFrom(env: NodeJS.ProcessEnv): WorkerSettings {
  return {
    concurrency: integer(env, "SATCHEL_GIT_CONCURRENCY", 2, 1, 32),
    // The edge accepts leases of 5 s to 15 min.
    leaseMs: integer(env, "SATCHEL_GIT_LEASE_SECONDS", 60, 5, 900) * 1000,
    git: {
      connectTimeoutMs: integer(env, "SATCHEL_GIT_CONNECT_TIMEOUT_SECONDS", DEFAULT_GIT_TIMEOUTS.connectTimeoutMs / 1000, 1, 600) * 1000,
      answerTimeoutMs: integer(env, "SATCHEL_GIT_ANSWER_TIMEOUT_SECONDS", DEFAULT_GIT_TIMEOUTS.answerTimeoutMs / 1000, 1, 3600) * 1000,
      lowSpeedBytes: integer(env, "SATCHEL_GIT_LOW_SPEED_BYTES", DEFAULT_GIT_TIMEOUTS.lowSpeedBytes, 1, 1e9),
      lowSpeedTimeMs: integer(env, "SATCHEL_GIT_LOW_SPEED_SECONDS", DEFAULT_GIT_TIMEOUTS.lowSpeedTimeMs / 1000, 1, 3600) * 1000,
    },
    deferZipballs: integer(env, "SATCHEL_GIT_DEFER_ZIPBALLS", 1, 0, 1) === 1,
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  return value;
}
