// One pass of scheduled work, the same on both runtimes: the Workers cron trigger
// (src/worker.ts) and a timer in the Node entry (src/node.ts) call it. Each step is guarded,
// so one failing step does not stop the others.
import { sweepAttemptCounters } from "../auth/login-throttle.ts";
import { reencryptSecrets } from "../credentials/sealed-secret-store.ts";
import { collectGarbage, type GcReport } from "../gc/collect-garbage.ts";
import { rebuildStaleDocuments } from "../packages/rebuild-documents.ts";
import { syncUpstreamChanges, type ChangesReport } from "../proxy/changes-sync.ts";
import { drainMail } from "../mail/mail-outbox-store.ts";
import { refreshDueAppTokens, refreshDueTeams, stepIntegrationSyncs } from "../integrations/scheduled-sync.ts";
import { mailNewAdvisories } from "../advisories/advisory-mail.ts";
import type { Services } from "../services.ts";
import { swapLastRun } from "./schedule-store.ts";
import { drainOutbox } from "../webhooks/outgoing/outbox.ts";
import { scheduleConfig } from "./schedule-config.ts";
import { expireLeases, pruneOldRecords, retryFailedUpdates } from "./job-maintenance.ts";
import { queueStalePackages } from "./recrawl.ts";
import { runScheduledLockChecks } from "../integrations/security/scheduled-checks.ts";

const LAST_RUN_KEY = "scheduler_last_run";
/** When the previous pass is unknown, assume the cron's default period. */
const DEFAULT_PERIOD_MS = 60_000;

export interface ScheduledReport {
  requeued: number;
  retried: number;
  recrawled: number;
  delivered: number;
  /** Advisories admins were mailed about (one mail each, once it affects a published version). */
  advisoriesMailed: number;
  /** Mail sent from the outbox (retries). */
  mailed: number;
  /** Upstream changes feeds read, and mirrored copies marked stale or missing by them. */
  upstreamChanges: ChangesReport;
  pruned: { jobs: number; deliveries: number; receipts: number };
  /** Login-throttle counters whose window had passed. */
  sweptCounters: number;
  /** Blobs no row refers to: newly marked, and deleted after their retention. */
  garbage: GcReport;
  /** Stored secrets moved to the current ENCRYPTION_KEY (only while previous keys are configured). */
  reencrypted: number;
  /** Packages whose p2 documents lagged their versions (a process stopped mid-publish), rebuilt. */
  rebuilt: number;
  /** Monitored packages whose default-branch composer.lock was checked against advisories (daily each). */
  lockChecks: { checked: number; abandoned: number };
  /** Integrations whose repository sync took a step. */
  integrationSyncs: number;
  /** Users whose team-mapped groups changed (team sync). */
  teamChanges: number;
  /** GitHub App integrations whose installation token was minted again before it expired. */
  appTokens: number;
}

export async function runScheduledWork(services: Services): Promise<ScheduledReport> {
  // Scheduled work writes outside any request: no Composer answer computed before or during it is kept.
  services.answers.beginWrite();
  try {
    return await runSteps(services);
  } finally {
    services.answers.endWrite();
    // Expired leases went back to the queue: claims waiting in this process look now.
    services.jobSignal.notify();
  }
}

async function runSteps(services: Services): Promise<ScheduledReport> {
  const config = scheduleConfig(services.config);
  const now = services.now();
  const last = await swapLastRun(services.db, LAST_RUN_KEY, now);
  const sinceLast = last !== null ? Math.max(0, now - last) : DEFAULT_PERIOD_MS;
  const step = async <T>(name: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      services.log.error("scheduled step failed", { step: name, error: error instanceof Error ? error.message : String(error) });
      return fallback;
    }
  };
  const report: ScheduledReport = {
    rebuilt: await step("rebuild stale documents", () => rebuildStaleDocuments(services), 0),
    requeued: await step("expire leases", () => expireLeases(services), 0),
    retried: await step("retry failed updates", () => retryFailedUpdates(services), 0),
    recrawled: await step("re-crawl stale packages", () => queueStalePackages(services, config.recrawlIntervalMs, sinceLast), 0),
    lockChecks: await step("check monitored composer.lock files", () => runScheduledLockChecks(services), { checked: 0, abandoned: 0 }),
    delivered: await step("send webhooks", () => drainOutbox(services), 0),
    advisoriesMailed: await step("mail new advisories", () => mailNewAdvisories(services), 0),
    mailed: await step("send mail", () => drainMail(services), 0),
    upstreamChanges: await step("sync upstream changes", () => syncUpstreamChanges(services), { upstreams: 0, stale: 0, missing: 0 }),
    pruned: await step("prune", () => pruneOldRecords(services, config.retentionMs), { jobs: 0, deliveries: 0, receipts: 0 }),
    sweptCounters: await step("sweep attempt counters", () => sweepAttemptCounters({ db: services.db, now }), 0),
    reencrypted: services.config.encryptionPreviousKeys?.length ? await step("re-encrypt secrets", async () => (await reencryptSecrets(services)).reencrypted, 0) : 0,
    integrationSyncs: await step("sync integrations", () => stepIntegrationSyncs(services), 0),
    teamChanges: await step("refresh team memberships", () => refreshDueTeams(services), 0),
    appTokens: await step("refresh GitHub App tokens", () => refreshDueAppTokens(services), 0),
    garbage: await step("collect garbage", () => collectGarbage(services, { graceMs: config.gcGraceMs, devZipballMs: config.devZipballMs }), { marked: 0, collected: 0, freedBytes: 0, skipped: false }),
  };
  if (report.rebuilt || report.requeued || report.retried || report.recrawled || report.lockChecks.checked || report.delivered || report.upstreamChanges.stale || report.upstreamChanges.missing || report.garbage.collected) services.log.info("scheduled work", { ...report });
  return report;
}
