// Incremental sync with an upstream's `metadata/changes.json` feed (packagist.org's, or one at
// `{url}/metadata/changes.json`): a scheduled step reads the actions since the timestamp we
// kept and marks our copies of the named packages stale, so the next request revalidates
// (If-Modified-Since) at once instead of after the TTL. The feed only ever makes us ask the
// upstream sooner: the p2 document stays the truth, so a lying feed cannot poison the cache.
import { isValidPackageName } from "../composer-rules/package-name.ts";
import type { Services } from "../services.ts";
import { feedStates, markMirrorMissing, markMirrorStale, saveFeedState } from "./proxy-store.ts";
import type { Upstream } from "./upstream-registry.ts";

/** Per upstream: the feed it was read from and the feed's last timestamp (1/10000 s). */
interface FeedState {
  url: string;
  since: number | null;
  /** No feed there, or it failed: not asked again before this time (fail fast). */
  retryAt?: number;
}

export interface ChangesReport {
  upstreams: number;
  stale: number;
  missing: number;
}

const STATE_PREFIX = "upstream_changes:";
const MAX_UPSTREAMS_PER_PASS = 3;
const MAX_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 5000;
/** More actions than this (a long outage): cheaper to revalidate everything we hold. */
const MAX_ACTIONS = 20_000;
const FAILURE_BACKOFF_MS = 5 * 60_000;
const NO_FEED_BACKOFF_MS = 24 * 60 * 60_000;

/** The meta key of an upstream's feed state (removed with its mirror). */
export function changesStateKey(upstreamId: number): string {
  return `${STATE_PREFIX}${upstreamId}`;
}

/** packagist.org serves its feed on packagist.org, not on the repo.packagist.org mirror. */
export function changesUrlOf(upstream: Upstream): string {
  const host = new URL(upstream.url).hostname;
  if (host === "repo.packagist.org" || host === "packagist.org") return "https://packagist.org/metadata/changes.json";
  return `${upstream.url}/metadata/changes.json`;
}

export async function syncUpstreamChanges(services: Services): Promise<ChangesReport> {
  const now = services.now();
  const report: ChangesReport = { upstreams: 0, stale: 0, missing: 0 };
  const { upstreams } = await services.upstreams.proxy.registry.settings(now);
  if (upstreams.length === 0) return report;
  const stored = await feedStates(services.db, STATE_PREFIX);
  const states = new Map([...stored].map(([key, value]) => [key, parseState(value)]));
  let asked = 0;
  for (const upstream of upstreams) {
    if (asked >= MAX_UPSTREAMS_PER_PASS) break;
    const url = changesUrlOf(upstream);
    const stored = states.get(changesStateKey(upstream.id));
    // A changed upstream URL starts a new feed.
    const state: FeedState = stored && stored.url === url ? stored : { url, since: null };
    if ((state.retryAt ?? 0) > now || services.upstreams.client.downReason(upstream, now)) continue;
    asked++;
    const outcome = await readFeed(services, upstream, state, now);
    if (outcome.kind === "failed") {
      await saveState(services, upstream.id, { ...state, retryAt: now + outcome.backoffMs });
      continue;
    }
    report.upstreams++;
    const changed = await applyActions(services, upstream.id, outcome);
    report.stale += changed.stale;
    report.missing += changed.missing;
    await saveState(services, upstream.id, { url, since: outcome.timestamp });
  }
  if (report.stale || report.missing) {
    services.upstreams.proxy.store.forget();
    services.answers.forget();
  }
  return report;
}

type Feed =
  | { kind: "actions"; timestamp: number; updates: string[]; deletes: string[] }
  /** First read, too old a `since`, a `resync` action or too many actions: everything is stale. */
  | { kind: "resync"; timestamp: number }
  | { kind: "failed"; backoffMs: number };

async function readFeed(services: Services, upstream: Upstream, state: FeedState, now: number): Promise<Feed> {
  const url = state.since === null ? state.url : `${state.url}?since=${state.since}`;
  const fetched = await services.upstreams.client.fetchBuffered(upstream, url, { timeoutMs: Math.min(TIMEOUT_MS, services.upstreams.config.timeoutMs * 2), maxBytes: MAX_BYTES }, now);
  if (!fetched.ok) return { kind: "failed", backoffMs: FAILURE_BACKOFF_MS };
  if (fetched.status === 404 || fetched.status === 410) return { kind: "failed", backoffMs: NO_FEED_BACKOFF_MS };
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(fetched.body));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { kind: "failed", backoffMs: NO_FEED_BACKOFF_MS };
    data = parsed as Record<string, unknown>;
  } catch {
    return { kind: "failed", backoffMs: NO_FEED_BACKOFF_MS };
  }
  const timestamp = data.timestamp;
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp <= 0) return { kind: "failed", backoffMs: NO_FEED_BACKOFF_MS };
  // Without (or with too old) a `since`, packagist answers 400 with the current timestamp.
  if (fetched.status !== 200 || !Array.isArray(data.actions)) {
    return fetched.status >= 400 && fetched.status < 500 && typeof data.error === "string" ? { kind: "resync", timestamp } : { kind: "failed", backoffMs: FAILURE_BACKOFF_MS };
  }
  if (data.actions.length > MAX_ACTIONS) return { kind: "resync", timestamp };
  const updates = new Set<string>();
  const deletes = new Set<string>();
  for (const action of data.actions as unknown[]) {
    if (!action || typeof action !== "object") continue;
    const { type, package: raw } = action as Record<string, unknown>;
    if (type === "resync") return { kind: "resync", timestamp };
    if (typeof raw !== "string") continue;
    // packagist lists `vendor/name~dev` for the dev document: both kinds are rows of one name.
    const name = raw.toLowerCase().replace(/~dev$/, "");
    if (!isValidPackageName(name)) continue;
    if (type === "update") updates.add(name);
    else if (type === "delete") deletes.add(name);
  }
  return { kind: "actions", timestamp, updates: [...updates], deletes: [...deletes] };
}

async function applyActions(services: Services, upstreamId: number, feed: Exclude<Feed, { kind: "failed" }>): Promise<{ stale: number; missing: number }> {
  if (feed.kind === "resync") return { stale: await markMirrorStale(services.db, upstreamId), missing: 0 };
  // Deletes first, then updates: a name deleted and published again within one feed ends up
  // stale either way, and the next request asks the upstream what is true now.
  const missing = feed.deletes.length ? await markMirrorMissing(services.db, upstreamId, feed.deletes) : 0;
  const stale = feed.updates.length ? await markMirrorStale(services.db, upstreamId, feed.updates) : 0;
  return { stale, missing };
}

function parseState(value: string): FeedState | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<FeedState>;
    if (typeof parsed.url !== "string") return undefined;
    return { url: parsed.url, since: typeof parsed.since === "number" ? parsed.since : null, ...(typeof parsed.retryAt === "number" ? { retryAt: parsed.retryAt } : {}) };
  } catch {
    return undefined;
  }
}

async function saveState(services: Services, upstreamId: number, state: FeedState): Promise<void> {
  const value = JSON.stringify(state);
  await saveFeedState(services.db, changesStateKey(upstreamId), value);
}
