// /api/worker/*: the git worker's side of the job table, authenticated by WORKER_TOKEN
// (compared in constant time). Workers poll: they need no inbound port.
import { Hono, type MiddlewareHandler } from "hono";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { runInBackground, type AppContext, type AppEnv } from "../http/context.ts";
import { notifyAdmins } from "../mail/admin-notifications.ts";
import { drainMail } from "../mail/mail-outbox-store.ts";
import { findPackage } from "../packages/package-store.ts";
import { AppError, badRequest, conflict } from "../http/errors.ts";
import { readJsonObject, requiredString } from "../http/json-body.ts";
import { readUploadBody } from "../packages/upload-body.ts";
import { checkedParams, packageNameFromParams, textParams } from "../http/route-params.ts";
import { REFERENCE_PATTERN } from "../blobs/keys.ts";
import { jobContext } from "./job-context.ts";
import { storeDistOnce } from "./store-dist.ts";
import { BUILD_ZIPBALL } from "./wire.ts";
import { publishScannedVersions } from "./publish-versions.ts";
import { emitUpdateFailed } from "../webhooks/outgoing/package-events.ts";
import { installProviderHook } from "../webhooks/provider-hooks/install.ts";
import { CLAIM_POLL_MS } from "./job-signal.ts";
import { claimJob, finishJob, heartbeatJob, heldJob, jobView, recordUpdateError } from "./job-store.ts";

const DEFAULT_LEASE_MS = 60_000;
/** The worker cuts a longer README to this many characters. */
const README_MAX_CHARS = 256 * 1024;

const requireWorkerToken = (): MiddlewareHandler<AppEnv> =>
  async function requireWorkerToken(c, next) {
    const presented = c.req.header("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    if (!constantTimeEqual(presented, c.get("services").config.workerToken)) throw new AppError(401, "unauthorized", "Invalid worker token.");
    await next();
  };

const invalidDist = () => badRequest("Invalid package name or reference.");

/** `:vendor/:name/:reference` of an uploaded dist: one 400 for either part. */
const distParams = () =>
  checkedParams((params) => {
    const name = packageNameFromParams(params, invalidDist);
    const reference = params.reference ?? "";
    if (!REFERENCE_PATTERN.test(reference)) throw invalidDist();
    return { name, reference };
  });

export function workerRoutes() {
  const api = new Hono<AppEnv>();
  api.use("*", requireWorkerToken());

  // Long poll: waits up to `waitMs` for a job. A job queued in this process starts at once,
  // one queued elsewhere within CLAIM_POLL_MS (job-signal.ts).
  api.post("/jobs/claim", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const workerId = requiredString(body, "workerId", 100);
    await services.workerPresence.seen(services.db, services.now());
    const waitMs = typeof body.waitMs === "number" ? Math.min(Math.max(body.waitMs, 0), 25_000) : 0;
    const deadline = Date.now() + waitMs;
    const kinds = kindsFrom(body.kinds);
    for (;;) {
      const generation = services.jobSignal.generation;
      const job = await claimJob(services, workerId, leaseFrom(body.leaseMs), kinds);
      if (job) return c.json({ ...jobView(job), payload: job.payload ?? {} });
      // Stop polling for a worker that went away.
      const left = deadline - Date.now();
      if (left <= 0 || c.req.raw.signal.aborted) return c.body(null, 204);
      await services.jobSignal.wait(Math.min(CLAIM_POLL_MS, left), generation, c.req.raw.signal);
    }
  });

  api.get("/jobs/:id/context", textParams("id"), async (c) => {
    const services = c.get("services");
    const job = await heldJob(services, c.req.valid("param").id, c.req.query("workerId") ?? "");
    if (!job) throw conflict("This job's lease is no longer yours.", "lease_lost");
    return c.json(await jobContext(services, job));
  });

  api.put("/dist/:vendor/:name/:reference", distParams(), async (c) => {
    const services = c.get("services");
    const { name, reference } = c.req.valid("param");
    const archive = await readUploadBody(c, services.config.maxUnpackedBytes);
    // The first archive stored under a key wins (store-dist.ts): publish the shasum answered here.
    // 201 either way: the key holds an archive, as the worker (and a retry of its upload) expects.
    return c.json({ shasum: await storeDistOnce(services, name, reference, archive) }, 201);
  });

  api.post("/jobs/:id/publish", textParams("id"), async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c, 64 * 1024 * 1024);
    const workerId = requiredString(body, "workerId", 100);
    const job = await heldJob(services, c.req.valid("param").id, workerId);
    if (!job) throw conflict("This job's lease is no longer yours.", "lease_lost");
    if (!Array.isArray(body.versions)) throw badRequest('"versions" must be the list of published versions.');
    // A mono-repository publishes each package under its own repository (its subdirectory's), and
    // finishes the job with the last one (`more` on the others).
    const repository = body.repository === undefined ? undefined : requiredString(body, "repository", 2048);
    const summary = await publishScannedVersions(services, job, requiredString(body, "name", 255), body.versions, {
      readme: readmeOf(body),
      repository,
      deferred: deferredFrom(body.deferred),
    });
    const skipped = Array.isArray(body.skipped) ? body.skipped.slice(0, 10_000) : [];
    if (body.more !== true) await finishJob(services, job.id, workerId, { status: "done", result: { ...summary, skipped }, packageName: summary.package });
    // A new package read with a GitHub/GitLab token gets Satchel's own push hook, after the answer.
    if (summary.created && job.payload?.installWebhook !== false) runInBackground(c, installProviderHook(services, summary.package));
    return c.json(summary);
  });

  api.post("/jobs/:id/heartbeat", textParams("id"), async (c) => {
    const body = await readJsonObject(c);
    const held = await heartbeatJob(c.get("services"), c.req.valid("param").id, requiredString(body, "workerId", 100), leaseFrom(body.leaseMs));
    if (!held) throw conflict("This job's lease is no longer yours.", "lease_lost");
    return c.json({ status: "running" });
  });

  api.post("/jobs/:id/finish", textParams("id"), async (c) => {
    const body = await readJsonObject(c, 4 * 1024 * 1024);
    const status = body.status;
    if (status !== "done" && status !== "failed") throw badRequest('"status" must be "done" or "failed".');
    const result = body.result && typeof body.result === "object" ? (body.result as Record<string, unknown>) : {};
    const services = c.get("services");
    const workerId = requiredString(body, "workerId", 100);
    const job = await heldJob(services, c.req.valid("param").id, workerId);
    const finished = job && (await finishJob(services, job.id, workerId, { status, result }));
    if (!job || !finished) throw conflict("This job's lease is no longer yours.", "lease_lost");
    // A failed on-demand archive build is the waiting request's business (503), not a failed update.
    if (status === "failed" && job.kind !== BUILD_ZIPBALL) {
      const reason = typeof result.error === "string" ? result.error : "The update failed.";
      await recordUpdateError(services, job, reason);
      await emitUpdateFailed(services, job.packageId, typeof job.payload?.repository === "string" ? job.payload.repository : null, reason);
      await notifyUpdateFailed(c, job.packageId, reason);
    }
    return c.json({ status });
  });

  return api;
}

/** Admins hear of a failed update by mail (sent after the response: the worker does not wait). */
async function notifyUpdateFailed(c: AppContext, packageId: number | null, reason: string): Promise<void> {
  const services = c.get("services");
  const name = packageId === null ? "a package" : ((await findPackage(services.db, packageId))?.name ?? "a package");
  const queued = await notifyAdmins(services, `Satchel: the update of ${name} failed`, `The update of ${name} failed:\n\n${reason.slice(0, 2000)}\n`);
  if (queued > 0) runInBackground(c, drainMail(services));
}

function leaseFrom(raw: unknown): number {
  if (raw === undefined) return DEFAULT_LEASE_MS;
  if (typeof raw !== "number" || raw < 5_000 || raw > 15 * 60_000) throw badRequest('"leaseMs" must be between 5000 and 900000.');
  return raw;
}

/** The job kinds a claim is limited to (the worker's slot for on-demand builds), or all. */
function kindsFrom(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 10 || !raw.every((kind) => typeof kind === "string" && kind.length <= 50)) {
    throw badRequest('"kinds" must be a list of job kinds.');
  }
  return raw as string[];
}

/** The dist references whose zipballs the worker builds on first request instead of before publishing. */
function deferredFrom(raw: unknown): Set<string> {
  if (raw === undefined) return new Set();
  if (!Array.isArray(raw) || !raw.every((reference) => typeof reference === "string" && REFERENCE_PATTERN.test(reference))) {
    throw badRequest('"deferred" must be a list of dist references.');
  }
  return new Set(raw as string[]);
}

/** The optional README: a string to store, null to clear, absent to keep the stored one. */
function readmeOf(body: Record<string, unknown>): string | null | undefined {
  const readme = body.readme;
  if (readme === undefined || readme === null) return readme;
  if (typeof readme !== "string" || readme.length > README_MAX_CHARS) throw badRequest(`"readme" must be a string of at most ${README_MAX_CHARS} characters.`);
  return readme;
}
