// The Composer read paths every install hits (packages.json, p2, zipballs) on their own small
// router, ahead of the full app: one handler per route (Hono then skips middleware composition)
// that authenticates, checks the scope and serves. Anything else falls through to the full app.
// Measured in bench/PROFILE.md: the full app's middleware chain and trie router were a third
// of a warm p2 request's JavaScript time.
import { Hono, type ExecutionContext } from "hono";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { assertScope, authenticatedPrincipal, flushLastUsedWhenDue, rememberedPrincipal } from "../auth/middleware.ts";
import type { AppContext, AppEnv } from "../http/context.ts";
import { errorHandler } from "../http/error-handler.ts";
import type { Services } from "../services.ts";
import { serveP2 } from "./p2.ts";
import { servePackagesJson } from "./packages-json.ts";
import { serveZipball } from "./zipball.ts";

type Fetch = (request: Request, env?: unknown, executionCtx?: ExecutionContext) => Response | Promise<Response>;

export interface ComposerRoutesOptions {
  services: Services;
  /** Resolves once the first admin exists; undefined when it already does (no await needed). */
  whenReady: () => Promise<void> | undefined;
  /** The full app, for every request these routes do not answer. */
  fallback: Fetch;
}

export function composerRoutes({ services, whenReady, fallback }: ComposerRoutesOptions): Hono<AppEnv> {
  const read = (serve: (c: AppContext) => Promise<Response>) =>
    async function composerRead(c: AppContext): Promise<Response> {
      c.set("services", services);
      const bootstrap = whenReady();
      if (bootstrap) await bootstrap;
      const now = services.now();
      const remembered = rememberedPrincipal(c, now);
      const principal = remembered === null ? await authenticatedPrincipal(c) : remembered;
      assertScope(principal, "metadata:read");
      c.set("principal", principal);
      const response = await serve(c);
      flushLastUsedWhenDue(c, now);
      return response;
    };

  const app = new Hono<AppEnv>({ router: new RegExpRouter() });
  app.get("/packages.json", read(servePackagesJson));
  app.get("/p2/:vendor/:file", read(serveP2));
  app.get("/zipball/:vendor/:name/:file", read(serveZipball));
  app.notFound((c) => fallback(c.req.raw, c.env, executionContextOf(c)));
  app.onError(errorHandler(services));
  return app;
}

function executionContextOf(c: AppContext): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // Node and Bun have none.
  }
}
