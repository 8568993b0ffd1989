// GET /zipball/{vendor}/{name}/{reference}.zip: streamed from the blob store after checking that
// the principal may see a version with this reference (a small one downloaded before comes from
// memory, src/cache/zipball-memo.ts). The URL names the commit, so it stays
// valid in composer.lock for years and changed bytes always mean a changed URL. An archive the git
// worker has not built yet is built on this request (zipball-on-demand.ts).
import { versionFilterFor } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import { distKey, REFERENCE_PATTERN } from "../blobs/keys.ts";
import { runInBackground, type AppContext } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { securedDataResponse } from "../http/security-headers.ts";
import { serveMirrorZipball } from "../proxy/mirror-zipball.ts";
import { notFoundFor, packageNameFrom } from "./package-path.ts";
import { onDemandZipball } from "./zipball-on-demand.ts";
import { refuseWithheld } from "../policies/withheld-dist.ts";

export async function serveZipball(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const name = packageNameFrom(c.req.param("vendor") ?? "", c.req.param("name") ?? "");
  const reference = /^(.+)\.zip$/.exec(c.req.param("file") ?? "")?.[1];
  if (!reference || !REFERENCE_PATTERN.test(reference)) throw notFound("Unknown archive.");
  const pkg = await services.catalog.find(name, services.now());
  // Private always wins; other names may be mirrored archives of an upstream.
  if (!pkg) return serveMirrorZipball(c, principal, name, reference);
  const filter = versionFilterFor(principal, pkg);
  if (!filter) throw notFoundFor(name);
  const visible = await services.metadata.visibleVersions(pkg, filter);
  if (!visible.references.has(reference)) {
    await refuseWithheld(services.metadata, pkg, filter, reference);
    throw notFound(`No archive ${reference} for ${name} is available to you.`);
  }
  const key = distKey(name, reference);
  const shasum = visible.shasumOf(reference);
  const headers = {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="${name.replace("/", "-")}-${reference.slice(0, 12)}.zip"`,
    "Cache-Control": "private, max-age=31536000, immutable",
  };
  // A small archive downloaded before (after the ACL check above, like every download).
  const remembered = services.zipballs.get(key, shasum);
  if (remembered) return securedDataResponse(remembered, 200, { ...headers, "Content-Length": String(remembered.byteLength) });
  // A large repository's older archives are built on their first request.
  const blob = (await services.blobs.get(key)) ?? (await onDemandZipball(services, pkg, reference));
  const body = services.zipballs.keep(key, shasum, blob.size, blob.body, (work) => runInBackground(c, work));
  return securedDataResponse(body, 200, { ...headers, "Content-Length": String(blob.size) });
}
