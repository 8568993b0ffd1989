// A zipball the git worker has not built yet (a large repository's older versions are published
// first and archived on first request): queue a high-priority build, wait for the archive with
// backoff, and answer once it is stored. A build that does not land in time gets 503 +
// Retry-After, which Composer retries; a commit gone from the repository gets a 404.
import { distKey } from "../blobs/keys.ts";
import { AppError, notFound } from "../http/errors.ts";
import { requestZipballBuild, zipballBuildState } from "../jobs/zipball-build-store.ts";
import { findPackage } from "../packages/package-store.ts";
import type { StoredBlob } from "../ports.ts";
import type { Services } from "../services.ts";

export const DEFAULT_WAIT_MS = 20_000;
/**
 * Polls of the blob store and the job start fast (a small archive takes well under a second) and
 * slow down to 2 s, so that a whole wait stays well inside D1's 50 queries per invocation (Free).
 */
const POLL_DELAYS_MS = [50, 100, 150, 250, 400, 600, 800, 1000, 1500, 2000];

/** The pauses between polls of a wait of `waitMs`: each poll reads one blob and one job row. */
export function pollDelays(waitMs: number): number[] {
  const delays: number[] = [];
  for (let total = 0, poll = 0; ; poll++) {
    const delay = POLL_DELAYS_MS[Math.min(poll, POLL_DELAYS_MS.length - 1)];
    if (total + delay > waitMs) return delays;
    delays.push(delay);
    total += delay;
  }
}

/** Only for a reference the caller may see (checked before): the stored or freshly built archive. */
export async function onDemandZipball(services: Services, pkg: { id: number; name: string }, reference: string): Promise<StoredBlob> {
  const row = await findPackage(services.db, pkg.id);
  // Uploaded archives are stored before they are published: a missing one is not ours to build.
  if (row?.kind !== "vcs") throw notFound(`The archive ${reference} of ${pkg.name} is not stored.`);
  const jobId = await requestZipballBuild(services, pkg.id, reference);
  if (!jobId) throw notReady(pkg.name, reference);
  const deadline = Date.now() + (services.config.zipballWaitMs ?? DEFAULT_WAIT_MS);
  for (const delay of [...pollDelays(services.config.zipballWaitMs ?? DEFAULT_WAIT_MS), 0]) {
    // The job before the blob: the worker stores the archive before it finishes the job, so a job
    // seen done means the blob read after it is final. (Read the other way round, a build that
    // lands between the two reads looked like "done without the archive": a 503 for a stored zip.)
    const state = await zipballBuildState(services, jobId, reference);
    const blob = await services.blobs.get(distKey(pkg.name, reference));
    if (blob) return blob;
    if (state.status === "done" && state.missing) throw notFound(`The commit ${reference} of ${pkg.name} is no longer in its repository.`);
    // Failed, or done without the archive (removed meanwhile): the next request queues it again.
    if (state.status !== "pending" || Date.now() + delay > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw notReady(pkg.name, reference);
}

/** 503: app.onError adds Retry-After; Composer prints the warning and retries. */
function notReady(name: string, reference: string): AppError {
  const message = `The archive ${reference} of ${name} is being built. Try again in a few seconds.`;
  return new AppError(503, "zipball_building", message, { composerWarning: message });
}
