// The edge app: one Hono app built from ports, identical on Workers and on Node.
import { Hono } from "hono";
import { adminRoutes } from "../admin/routes.ts";
import { auditApiWrites } from "./audit/audit-log.ts";
import { authenticate, countRefusal, credentialRefusalOf, requireScope } from "./auth/middleware.ts";
import { authRoutes } from "./auth/routes.ts";
import { backupRoutes } from "./backup/routes.ts";
import { keyRoutes } from "./auth/key-routes.ts";
import { receiveNotifyBatch } from "./composer/notify-batch.ts";
import { serveList } from "./composer/list.ts";
import { serveP2 } from "./composer/p2.ts";
import { servePackagesJson } from "./composer/packages-json.ts";
import { serveSearch } from "./composer/search.ts";
import { serveZipball } from "./composer/zipball.ts";
import { credentialRoutes } from "./credentials/routes.ts";
import { groupRoutes } from "./groups/routes.ts";
import { integrationRoutes } from "./integrations/routes.ts";
import { runDetached, type AppEnv } from "./http/context.ts";
import { AppError, JSON_CONTENT, notFound, UNAVAILABLE_RETRY_AFTER_SECONDS, unavailableResponse } from "./http/errors.ts";
import { MemoRouter } from "./http/memo-router.ts";
import { rememberingFetch, rememberRefusal } from "./http/remembered-fetch.ts";
import { securedDataResponse, securityHeaders } from "./http/security-headers.ts";
import { mayWrite } from "./http/write-announcer.ts";
import { BlobStoreUnavailable } from "./blobs/unavailable.ts";
import { serveHealth } from "./metrics/health.ts";
import { beginRequest, endRequest, requestIdOf } from "./metrics/request-metrics.ts";
import { serveMetrics } from "./metrics/routes.ts";
import { workerRoutes } from "./jobs/worker-routes.ts";
import { packageRoutes } from "./packages/routes.ts";
import { requireComposerVersion } from "./policies/client-version.ts";
import { flagRoutes } from "./policies/flag-routes.ts";
import { policyRoutes } from "./policies/policy-routes.ts";
import type { AppPorts } from "./ports.ts";
import { createServices, type Services } from "./services.ts";
import { tokenRoutes } from "./tokens/routes.ts";
import { trustedPublishingRoutes } from "./identity/trusted-publishing-routes.ts";
import { serviceAccountRoutes } from "./identity/service-account-routes.ts";
import { identityProviderRoutes } from "./identity/identity-provider-routes.ts";
import { seedIdentityProvider } from "./identity/seed-identity-provider.ts";
import { invitationRoutes } from "./identity/invitation-routes.ts";
import { ensureAdmin } from "./users/bootstrap.ts";
import { userRoutes } from "./users/routes.ts";
import { repositoryAccess } from "./subrepositories/repository-access.ts";
import { repositoryRoutingPath } from "./subrepositories/repository-path.ts";
import { subrepositoryRoutes } from "./subrepositories/routes.ts";
import { advisoryRoutes } from "./advisories/routes.ts";
import { securityAlertRoutes } from "./integrations/security/routes.ts";
import { serveSecurityAdvisories } from "./composer/security-advisories.ts";
import { upstreamRoutes } from "./proxy/routes.ts";
import { seedDefaultUpstream } from "./proxy/seed-default.ts";
import { incomingHookRoutes } from "./webhooks/incoming/routes.ts";
import { hookSecretRoutes } from "./webhooks/incoming/secret-routes.ts";
import { drainAfterResponse } from "./webhooks/outgoing/drain-after-response.ts";
import { outgoingHookRoutes } from "./webhooks/outgoing/routes.ts";

export type SatchelApp = Hono<AppEnv> & { services: Services; ready: () => Promise<void> };

export function createApp(ports: AppPorts): SatchelApp {
  const services = createServices(ports);
  // The first admin exists before the first request is answered.
  let bootstrap: Promise<void> | undefined;
  const ready = () => (bootstrap ??= ensureAdmin(services).then(() => seedDefaultUpstream(services)).then(() => seedIdentityProvider(services)).catch((error: unknown) => {
    bootstrap = undefined;
    throw error;
  }));

  // A sub-repository's Composer paths (`/sub/{slug}/p2/...`) are routed as the root's; each
  // path's route match is remembered (memo-router.ts).
  const app = new Hono<AppEnv>({ router: new MemoRouter(), getPath: repositoryRoutingPath });
  app.use("*", securityHeaders());
  app.use("*", async (c, next) => {
    c.set("services", services);
    const started = beginRequest(services.metrics);
    // Nothing answered while a request may be writing is remembered, and nothing from before it.
    const writing = mayWrite(c.req.method, c.req.url);
    if (writing) services.answers.beginWrite();
    try {
      await ready();
      await next();
    } finally {
      if (writing) services.answers.endWrite();
      endRequest(services.metrics, c, started);
    }
  });

  app.get("/healthz", serveHealth);
  app.get("/metrics", serveMetrics);

  app.use("*", drainAfterResponse());
  app.route("/api/worker", workerRoutes());

  app.use("*", authenticate());
  const composer = repositoryAccess(requireScope("metadata:read"));
  const composerRelease = requireComposerVersion();
  app.get("/packages.json", composer, requireComposerVersion({ withCatalog: true }), servePackagesJson);
  app.get("/p2/:vendor/:file", composer, composerRelease, serveP2);
  app.get("/zipball/:vendor/:name/:file", composer, composerRelease, serveZipball);
  app.post("/downloads/", composer, receiveNotifyBatch);
  app.post("/downloads", composer, receiveNotifyBatch);
  app.get("/packages/list.json", composer, serveList);
  app.get("/search.json", composer, serveSearch);
  // composer audit (registered before the API audit log: a read, whatever its method).
  app.on(["GET", "POST"], "/api/security-advisories", composer, serveSecurityAdvisories);

  app.use("/api/*", auditApiWrites());
  app.route("/api", authRoutes());
  app.route("/api", tokenRoutes());
  app.route("/api", trustedPublishingRoutes());
  app.route("/api", serviceAccountRoutes());
  app.route("/api", identityProviderRoutes());
  app.route("/api", invitationRoutes());
  app.route("/api", userRoutes());
  app.route("/api", groupRoutes());
  app.route("/api", subrepositoryRoutes());
  app.route("/api", credentialRoutes());
  app.route("/api", integrationRoutes());
  app.route("/api", flagRoutes());
  app.route("/api", policyRoutes());
  app.route("/api", packageRoutes());
  app.route("/api", upstreamRoutes());
  app.route("/api", advisoryRoutes());
  app.route("/api", securityAlertRoutes());
  app.route("/api", incomingHookRoutes());
  app.route("/api", hookSecretRoutes());
  app.route("/api", outgoingHookRoutes());
  app.route("/api", backupRoutes());
  app.route("/api", keyRoutes());
  app.route("/", adminRoutes());

  app.notFound(() => {
    throw notFound("No such endpoint.");
  });
  const refusalCounter = countRefusal(services);
  app.onError((error, c) => {
    if (error instanceof AppError) {
      // A refusal of the credentials themselves is answered the same way to the same header:
      // remembered, each repeat still counted against the address (src/auth/middleware.ts).
      const refusal = credentialRefusalOf(error);
      if (refusal) return rememberRefusal(c, securedDataResponse(error.body(), error.status, JSON_CONTENT), securedDataResponse(refusal.body(), refusal.status, JSON_CONTENT), refusalCounter);
      // A 503 of our own (storage failed midway, nothing was written) says when to try again, as
      // the generic one below does.
      return c.body(error.body(), error.status, error.status === 503 ? { ...JSON_CONTENT, "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) } : JSON_CONTENT);
    }
    // Storage that fails (a blob store down, a database error) gets one clean 503 + Retry-After:
    // the client may retry; nothing internal is shown.
    const what = error instanceof BlobStoreUnavailable ? "blob store unavailable" : "unhandled error";
    const cause = error instanceof BlobStoreUnavailable ? String(error.cause ?? error.message) : error instanceof Error ? error.message : String(error);
    services.log.error(what, { requestId: requestIdOf(c), path: new URL(c.req.url).pathname, error: cause });
    return unavailableResponse();
  });

  // A repeated Composer request is answered from its remembered answer (src/http/remembered-fetch.ts).
  app.fetch = rememberingFetch(
    {
      answers: services.answers,
      metrics: services.metrics,
      now: services.now,
      touchToken(tokenId, now, executionCtx) {
        services.lastUsed.touch(tokenId, now);
        if (services.lastUsed.isDue(now)) runDetached(services, services.lastUsed.flush(services.db, now), executionCtx);
      },
      hasPendingWork: () => services.hooks.drainRequested,
    },
    app.fetch,
  );
  return Object.assign(app, { services, ready });
}
