// How long the self-host server waits for a client (Node and Bun alike): a client that trickles
// its headers (slowloris) is cut off after the header timeout, an idle keep-alive connection
// after the idle timeout, so no process can be held hostage. Uploads get the request timeout.
import type { EnvVars } from "./config.ts";

export interface ServerLimits {
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
}

function milliseconds(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 100) throw new Error(`${name} must be a whole number of milliseconds, at least 100`);
  return parsed;
}

export function serverLimits(env: EnvVars): ServerLimits {
  return {
    headersTimeoutMs: milliseconds(env.SATCHEL_HEADERS_TIMEOUT_MS, 10_000, "SATCHEL_HEADERS_TIMEOUT_MS"),
    idleTimeoutMs: milliseconds(env.SATCHEL_IDLE_TIMEOUT_MS, 5_000, "SATCHEL_IDLE_TIMEOUT_MS"),
    requestTimeoutMs: milliseconds(env.SATCHEL_REQUEST_TIMEOUT_MS, 300_000, "SATCHEL_REQUEST_TIMEOUT_MS"),
  };
}
