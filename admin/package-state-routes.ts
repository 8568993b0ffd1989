// /admin/packages: custom and virtual packages (create, define and remove versions), archiving,
// and metadata patches. Each action goes through the same domain code as the REST API.
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import type { VersionEntry } from "../src/composer-rules/version-entry.ts";
import { clientIp } from "../src/http/context.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { createCustomPackage, customPackageInput, deleteCustomVersion, findCustomPackage, putCustomVersion } from "../src/packages/custom-packages.ts";
import { invalidDefinition } from "../src/packages/custom-definition.ts";
import { applyPackageChanges } from "../src/packages/package-changes.ts";
import { findPackageByName, type PackageRow } from "../src/packages/package-store.ts";
import { patchesOf } from "../src/packages/patch-store.ts";
import { storedVersions } from "../src/packages/rebuild-documents.ts";
import { PATCHABLE_LINKS } from "../src/packages/version-patch.ts";
import { removePatch, savePatch, type PatchAuthor } from "../src/packages/version-patches.ts";
import type { Services } from "../src/services.ts";
import { field, readForm } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { parseLinkLines, patchEditPage } from "./package-state-page.ts";
import { formAction, redirectWith, render } from "./render.ts";

export function packageStatePages() {
  const pages = new Hono<PageEnv>();
  const actor = (c: PageContext) => ({ username: c.get("session").username });
  const author = (c: PageContext): PatchAuthor => ({ principal: c.get("session"), ip: clientIp(c) });
  const packageBase = (c: PageContext) => `/admin/packages/${c.req.param("vendor")}/${c.req.param("name")}`;

  pages.post("/custom", (c) =>
    formAction(c, "/admin/packages/new", async () => {
      const form = await readForm(c);
      const input = customPackageInput({ name: field(form, "name", 255), versions: parseJson(field(form, "versions", 200_000)) }, false);
      await createCustomPackage(c.get("services"), input, actor(c));
      await auditFrom(c, c.get("session"), "custom package created", input.name);
      return redirectWith(c, `/admin/packages/${input.name}`, "ok", `${input.name} is published.`);
    }),
  );

  pages.post("/virtual", (c) =>
    formAction(c, "/admin/packages/new", async () => {
      const form = await readForm(c);
      const version = { version: field(form, "version", 100), description: field(form, "description", 1000) || undefined, require: parseLinkLines(field(form, "require", 50_000)) };
      const input = customPackageInput({ name: field(form, "name", 255), versions: [version] }, true);
      await createCustomPackage(c.get("services"), input, actor(c));
      await auditFrom(c, c.get("session"), "virtual package created", input.name);
      return redirectWith(c, `/admin/packages/${input.name}`, "ok", `${input.name} is published.`);
    }),
  );

  pages.post("/:vendor/:name/custom-versions", (c) =>
    formAction(c, packageBase(c), async () => {
      const services = c.get("services");
      const pkg = await findCustomPackage(services, `${c.req.param("vendor")}/${c.req.param("name")}`);
      const definition = parseJson(field(await readForm(c), "definition", 200_000));
      if (definition === null || typeof definition !== "object" || Array.isArray(definition)) throw invalidDefinition("A version is a JSON object.");
      const version = String((definition as Record<string, unknown>).version ?? "");
      await putCustomVersion(services, pkg, version, definition as Record<string, unknown>, actor(c));
      await auditFrom(c, c.get("session"), "custom version saved", `${pkg.name} ${version}`);
      return redirectWith(c, packageBase(c), "ok", `${pkg.name} ${version} is published.`);
    }),
  );

  pages.post("/:vendor/:name/custom-versions/delete", (c) =>
    formAction(c, packageBase(c), async () => {
      const services = c.get("services");
      const pkg = await findCustomPackage(services, `${c.req.param("vendor")}/${c.req.param("name")}`);
      const version = field(await readForm(c), "version", 100);
      await deleteCustomVersion(services, pkg, version, actor(c));
      await auditFrom(c, c.get("session"), "custom version removed", `${pkg.name} ${version}`);
      return redirectWith(c, packageBase(c), "ok", `${pkg.name} ${version} was removed.`);
    }),
  );

  pages.post("/:vendor/:name/archive", (c) =>
    formAction(c, packageBase(c), async () => {
      const services = c.get("services");
      const row = await packageNamed(services, c);
      const archived = field(await readForm(c), "archived") === "1";
      await applyPackageChanges(services, row, { archived });
      await auditFrom(c, c.get("session"), archived ? "package archived" : "package restored", row.name);
      return redirectWith(c, packageBase(c), "ok", archived ? `${row.name} is archived: Composer no longer sees it.` : `${row.name} is restored.`);
    }),
  );

  pages.get("/:vendor/:name/versions/:version/patch", async (c) => {
    const services = c.get("services");
    const row = await packageNamed(services, c);
    const entry = await versionOf(services, row, c.req.param("version"));
    const patch = (await patchesOf(services.db, row.id)).get(entry.version_normalized)?.patch ?? null;
    return render(c, `Patch ${row.name} ${entry.version}`, patchEditPage({ csrf: c.get("csrf"), name: row.name, entry, patch }), { active: "packages" });
  });

  pages.post("/:vendor/:name/versions/:version/patch", async (c) => {
    const back = `${packageBase(c)}/versions/${encodeURIComponent(c.req.param("version"))}/patch`;
    return formAction(c, back, async () => {
      const services = c.get("services");
      const row = await packageNamed(services, c);
      const form = await readForm(c);
      const body = Object.fromEntries(PATCHABLE_LINKS.filter((link) => field(form, `patch-${link}`) === "1").map((link) => [link, parseLinkLines(field(form, link, 50_000))]));
      if (Object.keys(body).length === 0) throw badRequest("Check at least one map to patch (or remove the patch from the package page).");
      const saved = await savePatch(services, author(c), row, c.req.param("version"), body);
      return redirectWith(c, packageBase(c), "ok", `${row.name} ${saved.version} is patched.`);
    });
  });

  pages.post("/:vendor/:name/versions/:version/patch/remove", (c) =>
    formAction(c, packageBase(c), async () => {
      const services = c.get("services");
      const row = await packageNamed(services, c);
      await removePatch(services, author(c), row, c.req.param("version"));
      return redirectWith(c, packageBase(c), "ok", "The patch was removed.");
    }),
  );

  return pages;
}

async function packageNamed(services: Services, c: PageContext): Promise<PackageRow> {
  const row = await findPackageByName(services.db, `${c.req.param("vendor")}/${c.req.param("name")}`.toLowerCase());
  if (!row) throw notFound("No such package.");
  return row;
}

async function versionOf(services: Services, row: PackageRow, version: string): Promise<VersionEntry> {
  const found = (await storedVersions(services.db, row.id)).find(({ entry }) => entry.version === version || entry.version_normalized === version);
  if (!found) throw notFound(`${row.name} has no version ${version.slice(0, 100)}.`);
  return found.entry;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidDefinition(`That is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`);
  }
}
