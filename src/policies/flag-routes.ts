// /api/packages/{vendor}/{name}/flags: versions flagged as malware or compromised (admins). A name
// with no private package names an upstream (proxied) package: its flags are kept by name.
import { Hono } from "hono";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { readJsonObject } from "../http/json-body.ts";
import { checkedParams, packageNameFromParams, packageParam } from "../http/route-params.ts";
import { routeId } from "../http/json-body.ts";
import { findPackageByName, type PackageRow } from "../packages/package-store.ts";
import { flagsOfPackage, type VersionFlag } from "./flag-store.ts";
import { upstreamFlagsOf, type UpstreamVersionFlag } from "./upstream-flag-store.ts";
import { flagUpstreamVersion, flagVersion, liftUpstreamVersionFlag, liftVersionFlag, readFlagInput } from "./version-flags.ts";

export function flagRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/packages/:vendor/:name/flags", requireScope("admin"));
  api.use("/packages/:vendor/:name/flags/*", requireScope("admin"));

  api.get("/packages/:vendor/:name/flags", packageParam(), async (c) => {
    const services = c.get("services");
    const { packageName } = c.req.valid("param");
    const pkg = await findPackageByName(services.db, packageName);
    if (!pkg) return c.json({ flags: (await upstreamFlagsOf(services.db, packageName)).map(upstreamFlagView) });
    return c.json({ flags: (await flagsOfPackage(services.db, pkg.id)).map((flag) => flagView(pkg, flag)) });
  });

  api.post("/packages/:vendor/:name/flags", packageParam(), async (c) => {
    const services = c.get("services");
    const { packageName } = c.req.valid("param");
    const pkg = await findPackageByName(services.db, packageName);
    const input = readFlagInput(await readJsonObject(c));
    if (!pkg) return c.json(upstreamFlagView(await flagUpstreamVersion(c, currentPrincipal(c), packageName, input)), 201);
    return c.json(flagView(pkg, await flagVersion(c, currentPrincipal(c), pkg, input)), 201);
  });

  const flagParams = checkedParams((params) => ({ packageName: packageNameFromParams(params), id: routeId(params.id) }));
  api.delete("/packages/:vendor/:name/flags/:id", flagParams, async (c) => {
    const services = c.get("services");
    const { packageName, id } = c.req.valid("param");
    const pkg = await findPackageByName(services.db, packageName);
    if (pkg) await liftVersionFlag(c, currentPrincipal(c), pkg, id);
    else await liftUpstreamVersionFlag(c, currentPrincipal(c), packageName, id);
    return c.body(null, 204);
  });

  return api;
}

function flagView(pkg: PackageRow, flag: VersionFlag) {
  return { id: flag.id, package: pkg.name, version: flag.versionNormalized, kind: flag.kind, reason: flag.reason, flaggedBy: flag.flaggedBy, createdAt: new Date(flag.createdAt).toISOString() };
}

function upstreamFlagView(flag: UpstreamVersionFlag) {
  return { id: flag.id, package: flag.packageName, version: flag.versionNormalized, kind: flag.kind, reason: flag.reason, flaggedBy: flag.flaggedBy, createdAt: new Date(flag.createdAt).toISOString(), upstream: true };
}
