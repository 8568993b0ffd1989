// GET /p2/{vendor}/{name}.json and ~dev.json: the stored document (or the principal's derived
// view of it), with a Last-Modified that moves when the package OR the principal's ACL changes.
import { versionFilterFor } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import type { AppContext } from "../http/context.ts";
import { negotiatedJson } from "./last-modified.ts";
import { notFoundFor, parseP2File } from "./package-path.ts";
import { serveProxiedP2 } from "./proxy-p2.ts";
import { publicBase } from "./public-base.ts";

export async function serveP2(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const { name, kind } = parseP2File(c.req.param("vendor") ?? "", c.req.param("file") ?? "");
  const now = services.now();
  // Warm requests take the answers from memory without awaiting (a promise per step showed on Bun).
  const peeked = services.catalog.peek(name, now);
  const pkg = peeked !== undefined ? peeked : await services.catalog.find(name, now);
  // Private always wins: only a name no private package has may come from an upstream.
  if (!pkg) return serveProxiedP2(c, principal, name, kind);
  const filter = versionFilterFor(principal, pkg);
  if (!filter) throw notFoundFor(name);
  const clock = Math.max(pkg.updatedClock, principal.aclClock);
  const base = publicBase(c, services.config.publicUrl);
  const body = services.metadata.peekBody(pkg, kind, filter, base) ?? (await services.metadata.body(pkg, kind, filter, base));
  return negotiatedJson(c, body, clock);
}
