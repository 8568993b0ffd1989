// GET /packages/list.json[?filter=acme/*]: names the caller may see; `*` matches any substring.
// Private names first, then upstream names known here (Proxy.knownNames), for proxy users.
import { canSeePackage } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import type { AppContext } from "../http/context.ts";

export async function serveList(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const filter = c.req.query("filter");
  const matcher = filter ? wildcardMatcher(filter) : () => true;
  const now = services.now();
  const { packages } = await services.catalog.snapshot(now);
  const packageNames = packages.filter((pkg) => canSeePackage(principal, pkg) && matcher(pkg.name)).map((pkg) => pkg.name);
  const privateNames = new Set(packages.map((pkg) => pkg.name));
  const upstreamNames = await services.upstreams.proxy.knownNames(principal, (name) => privateNames.has(name), now);
  return c.json({ packageNames: [...packageNames, ...upstreamNames.filter(matcher)] });
}

export function wildcardMatcher(pattern: string): (name: string) => boolean {
  const escaped = pattern.slice(0, 255).toLowerCase().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  const regex = new RegExp(`^${escaped}$`);
  return (name) => regex.test(name);
}
