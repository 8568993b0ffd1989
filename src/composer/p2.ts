// GET /p2/{vendor}/{name}.json and ~dev.json: the stored document (or the principal's derived
// view of it), with a Last-Modified that moves when what the principal sees of the package OR their ACL changes.
import { versionFilterFor } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppContext } from "../http/context.ts";
import { AppError, JSON_CONTENT } from "../http/errors.ts";
import { securedDataResponse } from "../http/security-headers.ts";
import { negotiatedJson } from "./last-modified.ts";
import { notFoundFor, parseP2File } from "./package-path.ts";
import { serveProxiedP2 } from "../proxy/proxy-p2.ts";
import { publicBase } from "./public-base.ts";
import { rememberAnswer } from "../http/remembered-fetch.ts";

export async function serveP2(c: AppContext): Promise<Response> {
  const principal = currentPrincipal(c);
  try {
    return await answerP2(c, principal);
  } catch (error) {
    // A name the caller cannot see is asked for again and again (every CI run of a project that
    // requires it): its 404 is remembered like any answer, and forgotten with it on any change.
    if (error instanceof AppError && error.status === 404) return rememberAnswer(c, securedDataResponse(error.body(), 404, JSON_CONTENT), principal);
    throw error;
  }
}

async function answerP2(c: AppContext, principal: Principal): Promise<Response> {
  const services = c.get("services");
  const { name, kind } = parseP2File(c.req.param("vendor") ?? "", c.req.param("file") ?? "");
  const pkg = await services.catalog.find(name, services.now());
  // Private always wins: only a name no private package has may come from an upstream.
  if (!pkg) return serveProxiedP2(c, principal, name, kind);
  const filter = versionFilterFor(principal, pkg);
  if (!filter) throw notFoundFor(name);
  const { body, clock } = await services.metadata.body(pkg, kind, filter, publicBase(c, services.config.publicUrl));
  return rememberAnswer(c, negotiatedJson(c, body, Math.max(clock, principal.aclClock)), principal);
}
