// GET /packages.json: the per-user root document. `available-packages` makes the repository
// finite (Composer never asks us for names not listed); its Last-Modified moves when the
// package list or this user's ACL changes, because Composer caches it per URL, not per token.
import { canSeePackage } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import type { AppContext } from "../http/context.ts";
import { jsonWithLastModified } from "./last-modified.ts";
import { publicBase } from "./public-base.ts";

export const COMPOSER_1_WARNING =
  "Satchel serves Composer 2 metadata only. Composer 1 is end-of-life: run `composer self-update --2`.";

export async function servePackagesJson(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const now = services.now();
  const snapshot = await services.catalog.snapshot(now);
  const base = publicBase(c, services.config.publicUrl);
  const cacheKey = `${principal.userId}\n${principal.aclClock}\n${snapshot.clock}\n${base}`;
  let body = services.rootDocuments.get(cacheKey, now);
  if (body === undefined) {
    const names = snapshot.packages.filter((pkg) => canSeePackage(principal, pkg)).map((pkg) => pkg.name);
    body = JSON.stringify(rootDocument(base, names));
    services.rootDocuments.set(cacheKey, body, now);
  }
  return jsonWithLastModified(c, body, Math.max(snapshot.clock, principal.aclClock));
}

export function rootDocument(base: string, availablePackages: string[]) {
  return {
    packages: [],
    "metadata-url": `${base}/p2/%package%.json`,
    "available-packages": availablePackages,
    "notify-batch": `${base}/downloads/`,
    search: `${base}/search.json?q=%query%&type=%type%`,
    list: `${base}/packages/list.json`,
    mirrors: [{ "dist-url": `${base}/zipball/%package%/%reference%.%type%`, preferred: true }],
    warning: COMPOSER_1_WARNING,
    "warning-versions": "<1.999",
  };
}
