// Deliveries queued while handling a request are sent after its response: waitUntil on
// Workers, a detached promise on Node. The scheduler catches anything this misses.
import type { MiddlewareHandler } from "hono";
import { runInBackground, type AppEnv } from "../../http/context.ts";
import { drainOutbox } from "./outbox.ts";

export const drainAfterResponse = (): MiddlewareHandler<AppEnv> =>
  async function drainAfterResponse(c, next) {
    await next();
    const services = c.get("services");
    if (services.hooks.takeDrainRequest()) runInBackground(c, drainOutbox(services));
  };
