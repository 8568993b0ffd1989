// POST (form-encoded `packages[]=`) and GET (`?packages[]=`) /api/security-advisories: what
// `composer audit` asks. Admin-recorded advisories and, for names that are not private and a
// principal who may use the proxy, the upstreams' advisories, merged per name. Names the caller
// may not see are left out, as for every other Composer endpoint.
import { canSeePackage } from "../acl/visibility.ts";
import { composerAdvisory, type ComposerAdvisory } from "../advisories/advisory-input.ts";
import { advisoriesFor } from "../advisories/advisory-store.ts";
import type { RawAdvisory } from "../advisories/upstream-advisories.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import type { AppContext } from "../http/context.ts";
import { badRequest } from "../http/errors.ts";
import { readRequestBytes } from "../http/bounded-body.ts";
import { JSON_BODY_LIMIT } from "../http/json-body.ts";
import { isApproved, mayUseProxy } from "../proxy/upstream-registry.ts";

const MAX_NAMES = 1000;

export async function serveSecurityAdvisories(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const now = services.now();
  const names = await requestedNames(c);
  const settings = await services.upstreams.proxy.registry.settings(now);
  const proxied = mayUseProxy(principal, settings);
  const visible: string[] = [];
  const viaProxy: string[] = [];
  for (const name of names) {
    const pkg = await services.catalog.find(name, now);
    if (pkg ? canSeePackage(principal, pkg) : proxied) visible.push(name);
    if (!pkg && proxied) viaProxy.push(name);
  }
  const result = new Map<string, (ComposerAdvisory | RawAdvisory)[]>(visible.map((name) => [name, []]));
  for (const row of await advisoriesFor(services.db, visible)) result.get(row.packageName)?.push(composerAdvisory(row));
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
  return c.json({ advisories: Object.fromEntries(result), ...(warnings.length ? { warning: warnings.join(" ") } : {}) });
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
