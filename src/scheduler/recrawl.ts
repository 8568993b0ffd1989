// Re-reading packages nobody pushed to for a while (missed hooks, repositories without hooks).
// The work is spread out: each pass queues the share of packages that falls due in the time
// since the last pass, the stalest first, so that 1,000 packages with a 24 h interval and a
// pass a minute queue about one package a minute instead of 1,000 at midnight. Packages whose
// updates are disabled are left out entirely.
import { sql } from "drizzle-orm";
import { enqueueJob } from "../jobs/job-store.ts";
import type { Services } from "../services.ts";

/** Bounds a pass's queries (D1 allows 50 per invocation on the Free plan, shared with the outbox). */
const MAX_PER_PASS = 10;

export async function queueStalePackages(services: Services, intervalMs: number, sinceLastPassMs: number): Promise<number> {
  if (intervalMs <= 0) return 0;
  const now = services.now();
  const count = await services.db.orm.get<{ n: number }>(sql`select count(*) as n from packages where kind = 'vcs' and repository is not null and updates_disabled = 0`);
  const total = Number(count?.n ?? 0);
  if (total === 0) return 0;
  const share = Math.ceil((total * Math.min(sinceLastPassMs, intervalMs)) / intervalMs);
  const limit = Math.min(MAX_PER_PASS, Math.max(1, share));
  // Stale: not read within the interval, and no job (queued, running, or tried and failed) within it.
  const stale = await services.db.orm.all<{ id: number }>(sql`
    select p.id from packages p
    where p.kind = 'vcs' and p.repository is not null and p.updates_disabled = 0 and coalesce(p.crawled_at, 0) < ${now - intervalMs}
      and not exists (select 1 from jobs j where j.package_id = p.id
        and (j.status in ('queued', 'running') or j.created_at > ${now - intervalMs}))
    order by coalesce(p.crawled_at, 0), p.id
    limit ${limit}`);
  for (const row of stale) await enqueueJob(services, "update-package", row.id, { force: false, scheduled: true });
  return stale.length;
}
