import type { Context } from "hono";
import type { Principal } from "../auth/principal.ts";
import type { Services } from "../services.ts";

export interface AppEnv {
  Variables: {
    services: Services;
    /** Set by the authenticate middleware when valid credentials came with the request. */
    principal: Principal | undefined;
    /** Inside a sub-repository: the base its Composer URLs are written under (composer/public-base.ts). */
    repositoryBase: string | undefined;
    /** Made on first use by requestIdOf() (src/metrics/request-metrics.ts); error logs carry it. */
    requestId: string | undefined;
  };
}

export type AppContext = Context<AppEnv>;

/** Work that may finish after the response (stats, last-used times): waitUntil on Workers. */
export function runInBackground(c: AppContext, work: Promise<unknown>): void {
  let executionCtx: unknown;
  try {
    executionCtx = c.executionCtx;
  } catch {
    // No execution context (Node): the promise simply runs on.
  }
  runDetached(c.get("services"), work, executionCtx);
}

/** runInBackground outside a Hono context: given the runtime's execution context, if any. */
export function runDetached(services: Pick<Services, "log">, work: Promise<unknown>, executionCtx: unknown): void {
  const logged = work.catch((error: unknown) => services.log.error("background work failed", { error: String(error) }));
  (executionCtx as { waitUntil?: (work: Promise<unknown>) => void } | undefined)?.waitUntil?.(logged);
}

/**
 * The client's address: from the runtime when the entry point knows it (Node: the socket), else
 * Cloudflare's `cf-connecting-ip`, which only Cloudflare can set.
 */
export function clientIp(c: { env: unknown; get(key: "services"): Services; req: { header(name: string): string | undefined } }): string {
  return addressOf(c.get("services"), c.env, (name) => c.req.header(name));
}

/** clientIp outside a Hono context: the runtime's env and a header reader. */
export function addressOf(services: Pick<Services, "clientAddress">, env: unknown, header: (name: string) => string | undefined): string {
  return services.clientAddress?.(env) ?? header("cf-connecting-ip") ?? "local";
}
