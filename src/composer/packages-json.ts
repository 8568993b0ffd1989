// GET /packages.json: the per-user root document. `available-packages` makes the repository
// finite (Composer never asks us for names not listed); its Last-Modified moves when the
// list this user sees or their ACL changes, because Composer caches it per URL, not per token.
// With a non-strict upstream the list is left out: Composer may then ask for any name, and
// p2 answers from the mirror (a strict upstream adds its approved names and vendor patterns).
import { viewerKey } from "../acl/subrepository-scope.ts";
import { canSeePackage } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import { seesAllPackages } from "../auth/roles.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import type { Services } from "../services.ts";
import { runInBackground, type AppContext } from "../http/context.ts";
import type { RootListing } from "../proxy/upstream-proxy.ts";
import { negotiatedJson } from "./last-modified.ts";
import { RenderedBody } from "./metadata-store.ts";
import { publicBase } from "./public-base.ts";
import { rememberAnswer } from "../http/remembered-fetch.ts";
import { ViewClocks } from "./view-clocks.ts";
import { ROOT_FILTER_METADATA } from "../policies/withholding.ts";

export const COMPOSER_1_WARNING =
  "Satchel serves Composer 2 metadata only. Composer 1 is end-of-life: run `composer self-update --2`.";

export async function servePackagesJson(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const now = services.now();
  const snapshot = await services.catalog.snapshot(now);
  const refresh = services.catalog.refreshAhead(now);
  if (refresh) runInBackground(c, refresh);
  const base = publicBase(c, services.config.publicUrl);
  const cacheKey = `${viewerKey(principal)}\n${principal.aclClock}\n${snapshot.clock}\n${base}`;
  let root = services.rootDocuments.get(cacheKey, now);
  if (root === undefined) {
    const visible = snapshot.packages.filter((pkg) => canSeePackage(principal, pkg));
    const names = visible.map((pkg) => pkg.name);
    const listing = await services.upstreams.proxy.listing(principal, now);
    const clock = seesAllPackages(principal.roles) ? snapshot.clock : await restrictedClock(services, viewerKey(principal), visible, JSON.stringify(rootDocument("", names, listing)), snapshot.clock);
    // Bytes with their gzip form made once, as p2's are: not gzipped again on every request.
    root = { body: RenderedBody.ofText(JSON.stringify(rootDocument(base, names, listing))), clock };
    services.rootDocuments.set(cacheKey, root, now);
  }
  return rememberAnswer(c, negotiatedJson(c, root.body, Math.max(root.clock, principal.aclClock)), principal);
}

/** A customer's list moves only when THEIR list changes, not when a package they cannot see is added. */
function restrictedClock(services: Services, viewer: string, visible: PackagePointer[], content: string, catalogClock: number): Promise<number> {
  const newestVisible = Math.max(1, ...visible.map((pkg) => Math.floor(pkg.createdAt / 1000)));
  return new ViewClocks(services.blobs).clockFor({ scope: `packages.json\n${viewer}`, content, changedAt: catalogClock, firstAt: Math.min(catalogClock, newestVisible) });
}

export function rootDocument(base: string, availablePackages: string[], listing: RootListing | null = null) {
  const available = listing?.open
    ? {}
    : {
        "available-packages": [...new Set([...availablePackages, ...(listing?.names ?? [])])],
        ...(listing?.patterns.length ? { "available-package-patterns": listing.patterns } : {}),
      };
  return {
    packages: [],
    "metadata-url": `${base}/p2/%package%.json`,
    ...available,
    "notify-batch": `${base}/downloads/`,
    search: `${base}/search.json?q=%query%&type=%type%`,
    list: `${base}/packages/list.json`,
    mirrors: [{ "dist-url": `${base}/zipball/%package%/%reference%.%type%`, preferred: true }],
    // Advisories for private packages and, through the proxy, the upstreams' (composer audit).
    "security-advisories": { metadata: false, "api-url": `${base}/api/security-advisories` },
    // Composer 2.10 filter lists: flagged versions are named in each p2 document's `filter` key.
    filter: ROOT_FILTER_METADATA,
    warning: COMPOSER_1_WARNING,
    "warning-versions": "<1.999",
  };
}
