// /api/packages/{vendor}/{name}/flags: versions flagged as malware or compromised (admins).
import { Hono } from "hono";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { readJsonObject } from "../http/json-body.ts";
import { checkedParams, packageNameFromParams, packageParam } from "../http/route-params.ts";
import { routeId } from "../http/json-body.ts";
import { findPackageByName, type PackageRow } from "../packages/package-store.ts";
import type { Services } from "../services.ts";
import { flagsOfPackage, type VersionFlag } from "./flag-store.ts";
import { flagVersion, liftVersionFlag, readFlagInput } from "./version-flags.ts";

export function flagRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/packages/:vendor/:name/flags", requireScope("admin"));
  api.use("/packages/:vendor/:name/flags/*", requireScope("admin"));

  api.get("/packages/:vendor/:name/flags", packageParam(), async (c) => {
    const services = c.get("services");
    const pkg = await privatePackage(services, c.req.valid("param").packageName);
    return c.json({ flags: (await flagsOfPackage(services.db, pkg.id)).map((flag) => flagView(pkg, flag)) });
  });

  api.post("/packages/:vendor/:name/flags", packageParam(), async (c) => {
    const services = c.get("services");
    const pkg = await privatePackage(services, c.req.valid("param").packageName);
    const flag = await flagVersion(c, currentPrincipal(c), pkg, readFlagInput(await readJsonObject(c)));
    return c.json(flagView(pkg, flag), 201);
  });

  const flagParams = checkedParams((params) => ({ packageName: packageNameFromParams(params), id: routeId(params.id) }));
  api.delete("/packages/:vendor/:name/flags/:id", flagParams, async (c) => {
    const services = c.get("services");
    const { packageName, id } = c.req.valid("param");
    await liftVersionFlag(c, currentPrincipal(c), await privatePackage(services, packageName), id);
    return c.body(null, 204);
  });

  return api;
}

async function privatePackage(services: Services, name: string): Promise<PackageRow> {
  const pkg = await findPackageByName(services.db, name);
  if (!pkg) throw notFound(`There is no package named ${name}.`);
  return pkg;
}

function flagView(pkg: PackageRow, flag: VersionFlag) {
  return { id: flag.id, package: pkg.name, version: flag.versionNormalized, kind: flag.kind, reason: flag.reason, flaggedBy: flag.flaggedBy, createdAt: new Date(flag.createdAt).toISOString() };
}
