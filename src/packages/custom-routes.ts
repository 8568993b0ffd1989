// The REST API of custom and virtual packages (versions defined by JSON) and of metadata patches.
import { Hono } from "hono";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import { clientIp, type AppContext, type AppEnv } from "../http/context.ts";
import { badRequest, conflict } from "../http/errors.ts";
import { readJsonObject } from "../http/json-body.ts";
import { checkedParams, packageNameFromParams, packageParam } from "../http/route-params.ts";
import { notFoundFor } from "../composer/package-path.ts";
import { storeCustomArchive } from "./custom-dist.ts";
import { customDefinitions } from "./custom-store.ts";
import { createCustomPackage, customPackageInput, deleteCustomVersion, findCustomPackage, putCustomVersion } from "./custom-packages.ts";
import { findPackage, findPackageByName } from "./package-store.ts";
import { removePatch, savePatch, type PatchAuthor } from "./version-patches.ts";
import { packageView } from "./package-view.ts";
import { readUploadBody } from "./upload-body.ts";

/** `:vendor/:name/:version`: a valid package name and a version without control characters or spaces. */
const versionParams = () =>
  checkedParams((params) => {
    const version = (params.version ?? "").trim();
    if (!version || version.length > 100 || /[\u0000-\u001f\u007f\s]/.test(version)) throw badRequest("The URL needs a version.", "invalid_version");
    return { packageName: packageNameFromParams(params), version };
  });

const patchAuthor = (c: AppContext): PatchAuthor => ({ principal: currentPrincipal(c), ip: clientIp(c) });

export function customPackageRoutes() {
  const api = new Hono<AppEnv>();
  for (const [path, virtual] of [["/packages/custom", false], ["/packages/virtual", true]] as const) {
    api.post(path, requireScope("packages:write"), async (c) => {
      const services = c.get("services");
      const input = customPackageInput(await readJsonObject(c), virtual);
      const pkg = await createCustomPackage(services, input, { username: currentPrincipal(c).username });
      const row = (await findPackage(services.db, pkg.id)) ?? pkg;
      return c.json({ ...packageView(row, true), definitions: await customDefinitions(services.db, pkg.id) }, 201);
    });
  }

  // An archive for a custom version's dist: its sha1 is the `reference` a definition names it by.
  api.post("/packages/custom/:vendor/:name/archives", requireScope("packages:write"), packageParam(), async (c) => {
    const services = c.get("services");
    const { packageName } = c.req.valid("param");
    const existing = await findPackageByName(services.db, packageName);
    if (existing && existing.kind !== "custom") throw conflict(`${packageName} is not a custom package.`, "not_a_custom_package");
    const reference = await storeCustomArchive(services, packageName, await readUploadBody(c, services.config.maxUploadBytes));
    return c.json({ reference, shasum: reference, dist: { type: "zip", reference } }, 201);
  });

  api.put("/packages/custom/:vendor/:name/versions/:version", requireScope("packages:write"), versionParams(), async (c) => {
    const services = c.get("services");
    const { packageName, version } = c.req.valid("param");
    const pkg = await findCustomPackage(services, packageName);
    await putCustomVersion(services, pkg, version, await readJsonObject(c), { username: currentPrincipal(c).username });
    return c.json({ ...packageView((await findPackage(services.db, pkg.id)) ?? pkg, true), definitions: await customDefinitions(services.db, pkg.id) });
  });

  api.delete("/packages/custom/:vendor/:name/versions/:version", requireScope("packages:write"), versionParams(), async (c) => {
    const services = c.get("services");
    const { packageName, version } = c.req.valid("param");
    await deleteCustomVersion(services, await findCustomPackage(services, packageName), version, { username: currentPrincipal(c).username });
    return c.body(null, 204);
  });

  api.put("/packages/:vendor/:name/versions/:version/patch", requireScope("packages:write"), versionParams(), async (c) => {
    const { packageName, version } = c.req.valid("param");
    const pkg = await findPackageByName(c.get("services").db, packageName);
    if (!pkg) throw notFoundFor(packageName);
    return c.json(await savePatch(c.get("services"), patchAuthor(c), pkg, version, await readJsonObject(c)));
  });

  api.delete("/packages/:vendor/:name/versions/:version/patch", requireScope("packages:write"), versionParams(), async (c) => {
    const { packageName, version } = c.req.valid("param");
    const pkg = await findPackageByName(c.get("services").db, packageName);
    if (!pkg) throw notFoundFor(packageName);
    await removePatch(c.get("services"), patchAuthor(c), pkg, version);
    return c.body(null, 204);
  });

  return api;
}
