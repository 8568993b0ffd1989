// The edge app: one Hono app built from ports, identical on Workers and on Node.
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { adminRoutes } from "../admin/routes.ts";
import { auditApiWrites } from "./audit/audit-log.ts";
import { authenticate, requireScope } from "./auth/middleware.ts";
import { authRoutes } from "./auth/routes.ts";
import { receiveNotifyBatch } from "./composer/notify-batch.ts";
import { serveList } from "./composer/list.ts";
import { composerRoutes } from "./composer/routes.ts";
import { serveSearch } from "./composer/search.ts";
import { credentialRoutes } from "./credentials/routes.ts";
import { groupRoutes } from "./groups/routes.ts";
import type { AppEnv } from "./http/context.ts";
import { errorHandler } from "./http/error-handler.ts";
import { notFound } from "./http/errors.ts";
import { workerRoutes } from "./jobs/worker-routes.ts";
import { packageRoutes } from "./packages/routes.ts";
import type { AppPorts } from "./ports.ts";
import { createServices, type Services } from "./services.ts";
import { tokenRoutes } from "./tokens/routes.ts";
import { ensureAdmin } from "./users/bootstrap.ts";
import { userRoutes } from "./users/routes.ts";
import { advisoryRoutes } from "./advisories/routes.ts";
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
  let bootstrapped = false;
  const ready = () => (bootstrap ??= ensureAdmin(services).then(() => seedDefaultUpstream(services)).then(() => {
    bootstrapped = true;
  }, (error: unknown) => {
    bootstrap = undefined;
    throw error;
  }));

  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("services", services);
    await ready();
    await next();
  });

  app.get("/healthz", async (c) => {
    await services.db.orm.run(sql`select 1`);
    await services.blobs.has("healthz");
    return c.json({ status: "ok" });
  });

  app.use("*", drainAfterResponse());
  app.route("/api/worker", workerRoutes());

  app.use("*", authenticate());
  // packages.json, p2 and zipballs: composerRoutes() below, ahead of this app.
  const composer = requireScope("metadata:read");
  app.post("/downloads/", composer, receiveNotifyBatch);
  app.post("/downloads", composer, receiveNotifyBatch);
  app.get("/packages/list.json", composer, serveList);
  app.get("/search.json", composer, serveSearch);
  // composer audit (registered before the API audit log: a read, whatever its method).
  app.on(["GET", "POST"], "/api/security-advisories", composer, serveSecurityAdvisories);

  app.use("/api/*", auditApiWrites());
  app.route("/api", authRoutes());
  app.route("/api", tokenRoutes());
  app.route("/api", userRoutes());
  app.route("/api", groupRoutes());
  app.route("/api", credentialRoutes());
  app.route("/api", packageRoutes());
  app.route("/api", upstreamRoutes());
  app.route("/api", advisoryRoutes());
  app.route("/api", incomingHookRoutes());
  app.route("/api", hookSecretRoutes());
  app.route("/api", outgoingHookRoutes());
  app.route("/", adminRoutes());

  app.notFound(() => {
    throw notFound("No such endpoint.");
  });
  app.onError(errorHandler(services));

  const hot = composerRoutes({ services, whenReady: () => (bootstrapped ? undefined : ready()), fallback: app.fetch });
  // app.request() (the tests) goes through fetch as well.
  return Object.assign(app, { services, ready, fetch: hot.fetch });
}
