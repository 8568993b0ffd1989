// How long a git host may keep the worker waiting. A host that accepts the connection and never
// answers must fail its job in seconds, not hold a worker slot for the whole fetch timeout.
export interface GitTimeouts {
  /** ssh's ConnectTimeout (TCP connect and the server's banner). */
  connectTimeoutMs: number;
  /** The first contact (`ls-remote HEAD`, any transport: git://, ssh, https) must complete within this. */
  answerTimeoutMs: number;
  /** https: abort below `lowSpeedBytes` per second for `lowSpeedTimeMs` (git's http.lowSpeed*). */
  lowSpeedBytes: number;
  lowSpeedTimeMs: number;
}

export const DEFAULT_GIT_TIMEOUTS: GitTimeouts = { connectTimeoutMs: 10_000, answerTimeoutMs: 30_000, lowSpeedBytes: 1000, lowSpeedTimeMs: 30_000 };

/** The variables git itself reads for the https bounds. */
export function lowSpeedEnv(timeouts: GitTimeouts): Record<string, string> {
  return { GIT_HTTP_LOW_SPEED_LIMIT: String(timeouts.lowSpeedBytes), GIT_HTTP_LOW_SPEED_TIME: String(Math.max(1, Math.round(timeouts.lowSpeedTimeMs / 1000))) };
}
