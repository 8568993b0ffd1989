// POST (form-encoded `packages[]=`) and GET (`?packages[]=`) /api/security-advisories: what
// `composer audit` asks. Admin-recorded advisories and, for names that are not private and a
// principal who may use the proxy, the upstreams' advisories, merged per name. Names the caller
// may not see are left out, as for every other Composer endpoint.
import { inArray } from "drizzle-orm";
import { canSeePackage } from "../acl/visibility.ts";
import { composerAdvisory, type ComposerAdvisory } from "../advisories/advisory-input.ts";
import type { RawAdvisory } from "../advisories/upstream-advisories.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { securityAdvisories } from "../db/schema.ts";
import type { AppContext } from "../http/context.ts";
import { badRequest } from "../http/errors.ts";
import { isApproved, mayUseProxy } from "../proxy/upstream-registry.ts";

const MAX_NAMES = 1000;

export async function serveSecurityAdvisories(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const now = services.now();
  const names = await requestedNames(c);
  const settings = await services.proxy.registry.settings(now);
  const proxied = mayUseProxy(principal, settings);
  const visible: string[] = [];
  const viaProxy: string[] = [];
  // One query for the lot: composer audit asks for every installed package at once.
  const packages = await services.catalog.findMany(names, now);
  for (const name of names) {
    const pkg = packages.get(name) ?? null;
    if (pkg ? canSeePackage(principal, pkg) : proxied) visible.push(name);
    if (!pkg && proxied) viaProxy.push(name);
  }
  const result = new Map<string, (ComposerAdvisory | RawAdvisory)[]>(visible.map((name) => [name, []]));
  for (let i = 0; i < visible.length; i += 90) {
    const rows = await services.db.orm.select().from(securityAdvisories).where(inArray(securityAdvisories.packageName, visible.slice(i, i + 90))).all();
    for (const row of rows) result.get(row.packageName)?.push(composerAdvisory(row));
  }
  const warnings: string[] = [];
  for (const upstream of settings.upstreams) {
    const approved = viaProxy.filter((name) => isApproved(upstream, name));
    if (approved.length === 0) continue;
    const answer = await services.upstreamAdvisories.forNames(upstream, approved, now);
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
    if (Number(c.req.header("content-length") ?? 0) > 256 * 1024) throw badRequest("Too many packages in one request.");
    // Decoded by hand: workerd warns when form bodies are read with text().
    const text = new TextDecoder().decode(await c.req.arrayBuffer());
    if (text.length > 256 * 1024) throw badRequest("Too many packages in one request.");
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
