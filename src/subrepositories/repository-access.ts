// Who a Composer request is, and under which base URL it is answered, when it addresses a
// sub-repository (by `/sub/{slug}` or by the sub-repository's own hostname). Inside one the
// principal is narrowed to its packages (acl/subrepository-scope.ts): a public one answers
// everyone as its anonymous reader; a private one takes the root's credentials, and an unknown
// slug or one the caller cannot use is the same 404 (its existence is private).
import type { MiddlewareHandler } from "hono";
import { getPath } from "hono/utils/url";
import { canSeePackage } from "../acl/visibility.ts";
import { patternsInclude } from "../acl/subrepository-scope.ts";
import type { Principal } from "../auth/principal.ts";
import { seesAllPackages } from "../auth/roles.ts";
import { publicBase } from "../composer/public-base.ts";
import type { AppContext, AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import { subrepositoryPath } from "./repository-path.ts";
import type { Subrepository } from "./subrepository-registry.ts";
import { UsableMemo } from "./usable-memo.ts";

const UNKNOWN = "This repository does not exist, or your credentials do not give access to it.";

/** `rootAccess` (the root's credential check) for the root; the sub-repository's rules inside one. */
export const repositoryAccess = (rootAccess: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> => {
  const ownHosts = new Map<string, string>();
  return async function repositoryAccess(c, next) {
    const services = c.get("services");
    const now = services.now();
    const url = new URL(c.req.url);
    const prefixed = subrepositoryPath(getPath(c.req.raw));
    // PUBLIC_URL's own host is never a sub-repository's (refused at save): no lookup for it.
    const configured = services.config.publicUrl;
    if (!prefixed && configured && url.hostname === ownHost(ownHosts, configured)) return rootAccess(c, next);
    const sub = prefixed ? await services.subrepositories.bySlug(prefixed.slug, now) : await services.subrepositories.byHost(url.hostname, now);
    if (!prefixed && !sub) return rootAccess(c, next);
    const enter = async (principal: Principal) => {
      c.set("principal", principal);
      c.set("repositoryBase", prefixed ? `${publicBase(c, services.config.publicUrl)}/sub/${prefixed.slug}` : hostBase(url, services.config.publicUrl));
      await next();
    };
    if (sub?.isPublic) return enter(sub.anonymous);
    // The root's 401 (no credentials) and 403 (no metadata:read) come first, whether or not the slug exists.
    return rootAccess(c, async () => {
      const principal = c.get("principal") as Principal;
      if (!sub || !(await mayUseSubrepository(c, principal, sub))) throw notFound(UNKNOWN);
      await enter({ ...principal, aclClock: Math.max(principal.aclClock, sub.changedClock), subrepository: { id: sub.id, patterns: sub.patterns } });
    });
  };
};

function ownHost(cache: Map<string, string>, configured: string): string {
  let host = cache.get(configured);
  if (host === undefined) {
    host = new URL(configured).hostname;
    cache.set(configured, host);
  }
  return host;
}

/**
 * A private sub-repository is usable by staff and full customers, and by a customer who can see
 * at least one of its packages (the customer page lists the same ones).
 */
export function mayUseSubrepositoryIn(principal: Principal, sub: Pick<Subrepository, "isPublic" | "patterns">, packages: readonly PackagePointer[]): boolean {
  if (sub.isPublic || seesAllPackages(principal.roles)) return true;
  return packages.some((pkg) => patternsInclude(sub.patterns, pkg.name) && canSeePackage(principal, pkg));
}

const usableMemo = new UsableMemo();

async function mayUseSubrepository(c: AppContext, principal: Principal, sub: Subrepository): Promise<boolean> {
  const services = c.get("services");
  if (seesAllPackages(principal.roles)) return true;
  const snapshot = await services.catalog.snapshot(services.now());
  return usableMemo.usable(snapshot, sub, principal, () => mayUseSubrepositoryIn(principal, sub, snapshot.packages));
}

/** A hostname sub-repository's URLs name its own host (https when PUBLIC_URL is). */
function hostBase(url: URL, configured: string | undefined): string {
  const protocol = configured ? new URL(configured).protocol : url.protocol;
  return `${protocol}//${url.host}`;
}
