// GET /metrics's body: the request counters of this process or isolate, and the state read
// from the database at scrape time, in the Prometheus text format (version 0.0.4).
import type { Services } from "../services.ts";
import { readOperationalStats } from "./operational-stats-store.ts";

const JOB_BUCKETS = [1, 5, 15, 60, 300, 900, 3600];
const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

function metric(lines: string[], name: string, type: string, help: string, samples: [string, number][]) {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
}

export async function metricsText(services: Pick<Services, "db" | "now" | "metrics" | "tokenCache" | "answers">): Promise<string> {
  const now = services.now();
  const stats = await readOperationalStats(services.db);
  const lines = [services.metrics.exposition()];
  const tokenCache = services.tokenCache.stats();
  metric(lines, "satchel_token_cache_lookups_total", "counter", "Verified-token cache lookups in this process or isolate, by result.", [
    ['{result="hit"}', tokenCache.hits],
    ['{result="miss"}', tokenCache.misses],
  ]);
  const answers = services.answers.stats();
  metric(lines, "satchel_remembered_answer_lookups_total", "counter", "Composer requests looked up among remembered answers in this process or isolate, by result.", [
    ['{result="hit"}', answers.hits],
    ['{result="miss"}', answers.misses],
  ]);
  metric(lines, "satchel_mirror_requests_total", "counter", "Mirrored upstream documents and archives served, by result (hit: from the mirror).", stats.upstreams.flatMap((row): [string, number][] => [
    [`{upstream="${label(row.name)}",result="hit"}`, Number(row.hits)],
    [`{upstream="${label(row.name)}",result="miss"}`, Number(row.misses)],
  ]));
  metric(lines, "satchel_upstream_requests_total", "counter", "Requests sent to each upstream.", stats.upstreams.map((row) => [`{upstream="${label(row.name)}"}`, Number(row.requests)]));
  metric(lines, "satchel_upstream_up", "gauge", "1 unless the upstream's last answer was an error.", stats.upstreams.map((row) => [
    `{upstream="${label(row.name)}"}`,
    row.lastErrorAt === null || (row.lastSyncAt !== null && row.lastSyncAt > row.lastErrorAt) ? 1 : 0,
  ]));
  metric(lines, "satchel_jobs", "gauge", "Jobs waiting and running.", [['{status="queued"}', stats.queued], ['{status="running"}', stats.running]]);
  metric(lines, "satchel_job_queue_oldest_age_seconds", "gauge", "Age of the oldest queued job (0: none queued).", [["", stats.oldestQueuedAt === null ? 0 : Math.max(0, (now - stats.oldestQueuedAt) / 1000)]]);
  lines.push("# HELP satchel_job_duration_seconds Durations of finished jobs still kept (SATCHEL_RETENTION_DAYS).", "# TYPE satchel_job_duration_seconds histogram");
  for (const status of ["done", "failed"]) {
    const durations = stats.finishedDurations.filter((row) => row.status === status).map((row) => row.ms / 1000);
    for (const le of JOB_BUCKETS) lines.push(`satchel_job_duration_seconds_bucket{status="${status}",le="${le}"} ${durations.filter((seconds) => seconds <= le).length}`);
    lines.push(`satchel_job_duration_seconds_bucket{status="${status}",le="+Inf"} ${durations.length}`);
    lines.push(`satchel_job_duration_seconds_sum{status="${status}"} ${durations.reduce((total, seconds) => total + seconds, 0)}`);
    lines.push(`satchel_job_duration_seconds_count{status="${status}"} ${durations.length}`);
  }
  metric(lines, "satchel_webhook_deliveries", "gauge", "Outgoing webhook deliveries still kept, by outcome (pending, sending, succeeded, failed).", stats.deliveries.map((row) => [`{status="${label(row.status)}"}`, row.count]));
  metric(lines, "satchel_worker_last_seen_seconds", "gauge", "Seconds since a git worker last asked for a job (-1: never).", [["", stats.workerLastSeen === null ? -1 : Math.max(0, (now - stats.workerLastSeen) / 1000)]]);
  return `${lines.join("\n")}\n`;
}
