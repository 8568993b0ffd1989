// GET /p2/{vendor}/{name}.json and ~dev.json: the stored document (or the principal's derived
// view of it), with a Last-Modified that moves when what the principal sees of the package OR their ACL changes.
import { versionFilterFor } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import type { AppContext } from "../http/context.ts";
import { negotiatedJson } from "./last-modified.ts";
import { notFoundFor, parseP2File } from "./package-path.ts";
import { serveProxiedP2 } from "../proxy/proxy-p2.ts";
import { publicBase } from "./public-base.ts";
import { rememberAnswer } from "../http/remembered-fetch.ts";

export async function serveP2(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const { name, kind } = parseP2File(c.req.param("vendor") ?? "", c.req.param("file") ?? "");
  const pkg = await services.catalog.find(name, services.now());
  // Private always wins: only a name no private package has may come from an upstream.
  if (!pkg) return serveProxiedP2(c, principal, name, kind);
  const filter = versionFilterFor(principal, pkg);
  if (!filter) throw notFoundFor(name);
  const { body, clock } = await services.metadata.body(pkg, kind, filter, publicBase(c, services.config.publicUrl));
  return rememberAnswer(c, negotiatedJson(c, body, Math.max(clock, principal.aclClock)), principal);
}
