// POST (form-encoded `packages[]=`) and GET (`?packages[]=`) /api/security-advisories: what
// `composer audit` asks. Admin-recorded advisories and, for names that are not private and a
// principal who may use the proxy, the upstreams' advisories, merged per name. Names the caller
// may not see are left out, as for every other Composer endpoint.
import { canSeePackage, type PackageVisibilityFacts } from "../acl/visibility.ts";
import { composerAdvisory, type ComposerAdvisory } from "../advisories/advisory-input.ts";
import type { RawAdvisory } from "../advisories/upstream-advisories.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import type { AppContext } from "../http/context.ts";
import { badRequest } from "../http/errors.ts";
import { readRequestBytes } from "../http/bounded-body.ts";
import { JSON_BODY_LIMIT } from "../http/json-body.ts";
import { isApproved, mayUseProxy, type ProxySettings } from "../proxy/upstream-registry.ts";
import type { Services } from "../services.ts";

const MAX_NAMES = 1000;

export async function serveSecurityAdvisories(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const names = await requestedNames(c);
  const settings = await services.upstreams.proxy.registry.settings(services.now());
  const reader = { sees: (pkg: PackageVisibilityFacts) => canSeePackage(principal, pkg), proxied: mayUseProxy(principal, settings) };
  const { advisories, warnings } = await collectAdvisories(services, names, reader, settings);
  return c.json({ advisories: Object.fromEntries(advisories), ...(warnings.length ? { warning: warnings.join(" ") } : {}) });
}

/** Who reads: which private packages they see, and whether names Satchel does not host go to the upstreams. */
export interface AdvisoryReader {
  sees(pkg: PackageVisibilityFacts): boolean;
  proxied: boolean;
}

/**
 * The advisories `composer audit` gets for `names`: the admin-recorded ones, merged per name with
 * the upstreams' for names Satchel does not host. Also read by lock-file review and security
 * monitoring (integrations/security), so both see exactly what Composer sees.
 */
export async function collectAdvisories(
  services: Services,
  names: string[],
  reader: AdvisoryReader,
  given?: ProxySettings,
): Promise<{ advisories: Map<string, (ComposerAdvisory | RawAdvisory)[]>; warnings: string[] }> {
  const now = services.now();
  const settings = given ?? (await services.upstreams.proxy.registry.settings(now));
  const visible: string[] = [];
  const viaProxy: string[] = [];
  // A lock file's thousands of names are looked up in one read of the catalog, not one each.
  const hosted = await services.catalog.findMany(names, now);
  for (const name of names) {
    const pkg = hosted.get(name) ?? null;
    if (pkg ? reader.sees(pkg) : reader.proxied) visible.push(name);
    if (!pkg && reader.proxied) viaProxy.push(name);
  }
  const result = new Map<string, (ComposerAdvisory | RawAdvisory)[]>(visible.map((name) => [name, []]));
  for (const row of await services.advisories.rowsFor(visible, now)) result.get(row.packageName)?.push(composerAdvisory(row));
  const warnings: string[] = [];
  for (const upstream of settings.upstreams) {
    const approved = viaProxy.filter((name) => isApproved(upstream, name));
    if (approved.length === 0) continue;
    const answer = await services.upstreams.advisories.forNames(upstream, approved, now);
    if (answer.warning) warnings.push(answer.warning);
    for (const [name, list] of answer.advisories) {
      const known = new Set((result.get(name) ?? []).map((advisory) => advisory.advisoryId));
      result.get(name)?.push(...list.filter((advisory) => !known.has(advisory.advisoryId as string)));
    }
  }
  return { advisories: result, warnings };
}

async function requestedNames(c: AppContext): Promise<string[]> {
  const params = new URLSearchParams(new URL(c.req.url).search);
  if (c.req.method === "POST") {
    // Decoded by hand whatever the content type says: workerd warns when form bodies are read with text().
    const text = new TextDecoder().decode(await readRequestBytes(c, JSON_BODY_LIMIT));
    for (const [key, value] of new URLSearchParams(text)) params.append(key, value);
  }
  const names = new Set<string>();
  for (const [key, value] of params) {
    if (!/^packages\[\d*\]$/.test(key)) continue;
    const name = value.trim().toLowerCase();
    if (isValidPackageName(name)) names.add(name);
    if (names.size > MAX_NAMES) throw badRequest(`At most ${MAX_NAMES} packages per request.`);
  }
  return [...names];
}
