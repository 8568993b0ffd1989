// Where the provider I/O runs: at the edge, after the response (waitUntil on Workers, a
// detached promise on Node), as a job row of its own. Why not the git worker: a review needs
// what only the edge holds (advisories, the upstreams' advisory cache, the hosted packages'
// repositories, the outbox), and makes few subrequests: two file reads, one page of comments
// per 100 comments, one write, and the upstream advisory calls (one per 100 names) — well
// under the 50 a Free-plan invocation may make for lock files of up to a few thousand
// packages. CPU: parsing and comparing a 2,000-package lock takes a few ms of the 10 ms (Free)
// or 30 s (Paid) budget; an 8 MB lock may need the Paid plan, and the job then fails with
// the reason instead of hanging. A deployment without a git worker still gets reviews.
import type { Services } from "../../services.ts";
import { drainOutbox } from "../../webhooks/outgoing/outbox.ts";
import { finishEdgeJob, startEdgeJob, type EdgeJobKind } from "./edge-job-store.ts";

/**
 * Records the job and returns it with the work to hand to waitUntil; the work never throws:
 * its failure is the job's result.
 */
export async function edgeJob(services: Services, kind: EdgeJobKind, payload: Record<string, unknown>, work: () => Promise<Record<string, unknown>>): Promise<{ id: string; run: Promise<void> }> {
  const id = await startEdgeJob(services, kind, payload);
  const run = (async () => {
    try {
      const result = await work();
      await finishEdgeJob(services, id, "done", result);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      services.log.warn("edge job failed", { job: id, kind, error: reason.slice(0, 500) });
      // If even this write fails (storage down), the sweep fails the job later.
      await finishEdgeJob(services, id, "failed", { error: reason.slice(0, 2000) }).catch(() => undefined);
    }
    if (services.hooks.takeDrainRequest()) await drainOutbox(services).catch(() => undefined);
  })();
  return { id, run };
}
