// /admin/packages: list, detail, settings, update now, delete, submit a repository, upload.
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { compareVersionsDesc } from "../src/composer-rules/version-sort.ts";
import type { VersionEntry } from "../src/composer-rules/version-entry.ts";
import { publicBase, withPublicBase } from "../src/composer/public-base.ts";
import { listCredentials } from "../src/credentials/credential-store.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { redactUrl } from "../src/http/redact.ts";
import type { JsonObject } from "../src/http/json-body.ts";
import { enqueueJob, recentJobs } from "../src/jobs/job-store.ts";
import { inspectArchive } from "../src/packages/archive.ts";
import { deletePackage } from "../src/packages/delete-package.ts";
import { applyPackageChanges, submitVcsPackage } from "../src/packages/package-changes.ts";
import { findPackageByName, versionDocuments, type PackageRow } from "../src/packages/package-store.ts";
import { storeArtifact } from "../src/packages/upload.ts";
import type { Services } from "../src/services.ts";
import { deleteConfirmPage, packageDetailPage } from "./package-detail-page.ts";
import { packageNewPage } from "./package-new-page.ts";
import { packageStateSections } from "./package-state-page.ts";
import { packageStatePages } from "./package-state-routes.ts";
import { customDefinitions } from "../src/packages/custom-store.ts";
import { patchesOf } from "../src/packages/patch-store.ts";
import { patchViews } from "../src/packages/patch-view.ts";
import { publishedEntry } from "../src/packages/published-entries.ts";
import { listPackagePage, monorepoPackages, packageFilter } from "../src/packages/package-list-store.ts";
import { lastDays } from "./components/bar-chart.ts";
import { decodeVcsRepository } from "../src/packages/vcs-repository.ts";
import { packagesListPage } from "./packages-list-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, pageNumber, readForm } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";
import { downloadsPerDay, versionDownloads } from "./stats-charts.ts";

export function packagePages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("packages:write"));
  pages.route("/", packageStatePages());

  pages.get("/", async (c) => {
    const q = (c.req.query("q") ?? "").trim().slice(0, 100);
    const filter = packageFilter(c.req.query("filter"));
    const page = pageNumber(c.req.query("page"));
    const since = lastDays(c.get("services").now(), 30)[0] ?? "";
    const { rows, total } = await listPackagePage(c.get("services").db, { q, filter, page, since });
    return render(c, "Packages", packagesListPage({ rows, total, q, filter, page, canWrite: true }), { active: "packages" });
  });

  pages.get("/new", async (c) => render(c, "Add a package", packageNewPage({ csrf: c.get("csrf"), credentials: await credentialChoices(c.get("services")) }), { active: "packages" }));

  pages.post("/submit", (c) =>
    formAction(c, "/admin/packages/new", async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const credentialsId = field(form, "credentials") ? Number(field(form, "credentials")) : null;
      if (credentialsId !== null && !(await credentialChoices(services)).some((cred) => cred.id === credentialsId)) throw badRequest("Pick stored credentials.");
      const job = await submitVcsPackage(services, field(form, "repository", 2048), credentialsId);
      await auditFrom(c, c.get("session"), "package submitted", redactUrl(String(job.payload?.repository ?? "")), { job: job.id });
      return redirectWith(c, "/admin/jobs", "ok", "The repository was queued: the git worker reads it and publishes its versions.");
    }),
  );

  pages.post("/upload", async (c) => {
    const form = await readForm(c);
    const givenName = field(form, "name", 255);
    return formAction(c, givenName ? `/admin/packages/${givenName}` : "/admin/packages/new", async () => {
      const services = c.get("services");
      const file = form.archive;
      if (!(file instanceof File) || file.size === 0) throw badRequest("Choose a zip archive to upload.");
      if (file.size > services.config.maxUploadBytes) throw badRequest(`The archive is larger than the upload limit of ${Math.round(services.config.maxUploadBytes / 1024 / 1024)} MB.`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const name = givenName || (await composerName(services, bytes));
      const stored = await storeArtifact(services, name, field(form, "version", 100), bytes, { username: c.get("session").username });
      await auditFrom(c, c.get("session"), "release uploaded", `${name} ${stored.version}`, { reference: stored.reference });
      return redirectWith(c, `/admin/packages/${name}`, "ok", `${name} ${stored.version} is published.`);
    });
  });

  pages.get("/:vendor/:name", async (c) => {
    const services = c.get("services");
    const row = await findPackage(services, c.req.param("vendor"), c.req.param("name"));
    const rows = await versionDocuments(services.db, row.id);
    const base = publicBase(c, services.config.publicUrl);
    const originals = rows.map((version) => JSON.parse(withPublicBase(version.data, base)) as VersionEntry);
    const [patches, definitions] = await Promise.all([patchesOf(services.db, row.id), row.kind === "custom" ? customDefinitions(services.db, row.id) : []]);
    // What Composer reads (patches applied); the patches section shows what they change.
    const entries = originals.map((entry, i) => ({ entry: publishedEntry(entry, { abandoned: null, patches }), isDev: rows[i]?.isDev ?? false }));
    const stable = entries.filter((e) => !e.isDev).map((e) => e.entry).sort(byVersionDesc);
    const dev = entries.filter((e) => e.isDev).map((e) => e.entry).sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
    const [creds, downloads, topVersions, jobs, monorepo] = await Promise.all([
      credentialChoices(services),
      downloadsPerDay(services, 30, row.id),
      versionDownloads(services, row.id, 30),
      recentJobs(services.db, 5, { packageId: row.id }),
      monorepoPackages(services.db, row.repository),
    ]);
    const state = packageStateSections({ csrf: c.get("csrf"), row, patches: patchViews(originals, patches), definitions });
    const view = { csrf: c.get("csrf"), row, stable, dev, credentials: creds, downloads, topVersions, jobs, monorepo, state };
    return render(c, row.name, packageDetailPage(view), { active: "packages" });
  });

  pages.post("/:vendor/:name/settings", async (c) => {
    const back = `/admin/packages/${c.req.param("vendor")}/${c.req.param("name")}`;
    return formAction(c, back, async () => {
      const services = c.get("services");
      const row = await findPackage(services, c.req.param("vendor"), c.req.param("name"));
      const form = await readForm(c);
      const body: JsonObject = { public: field(form, "public") === "1" };
      body.abandoned = field(form, "abandoned") === "1" ? field(form, "replacement", 255) || true : false;
      if (row.kind === "vcs") {
        body.credentials = field(form, "credentials") ? Number(field(form, "credentials")) : null;
        body.updatesDisabled = field(form, "updatesDisabled") === "1";
        // The field shows the URL without its secrets: unchanged, it keeps the stored one.
        const repository = field(form, "repository", 2048);
        if (repository && repository !== redactUrl(decodeVcsRepository(row.repository ?? "").url)) body.repository = repository;
      }
      await applyPackageChanges(services, row, body);
      await auditFrom(c, c.get("session"), "package settings changed", row.name, { public: body.public, abandoned: body.abandoned, credentials: body.credentials ?? null, updatesDisabled: body.updatesDisabled ?? false, repositoryChanged: body.repository !== undefined });
      return redirectWith(c, back, "ok", "Settings saved.");
    });
  });

  pages.post("/:vendor/:name/update", async (c) => {
    const back = `/admin/packages/${c.req.param("vendor")}/${c.req.param("name")}`;
    return formAction(c, back, async () => {
      const row = await findPackage(c.get("services"), c.req.param("vendor"), c.req.param("name"));
      if (row.kind !== "vcs") throw badRequest("Uploaded packages have no repository to read.");
      const job = await enqueueJob(c.get("services"), "update-package", row.id, { force: true });
      await auditFrom(c, c.get("session"), "package update queued", row.name, { job: job.id });
      return redirectWith(c, back, "ok", "An update is queued.");
    });
  });

  pages.get("/:vendor/:name/delete", async (c) => {
    const row = await findPackage(c.get("services"), c.req.param("vendor"), c.req.param("name"));
    return render(c, `Delete ${row.name}`, deleteConfirmPage(c.get("csrf"), row.name), { active: "packages" });
  });

  pages.post("/:vendor/:name/delete", async (c) => {
    const back = `/admin/packages/${c.req.param("vendor")}/${c.req.param("name")}/delete`;
    return formAction(c, back, async () => {
      const row = await findPackage(c.get("services"), c.req.param("vendor"), c.req.param("name"));
      if (field(await readForm(c), "confirm", 300) !== row.name) throw badRequest("Type the package name exactly to delete it.");
      await deletePackage(c.get("services"), row, { username: c.get("session").username });
      await auditFrom(c, c.get("session"), "package deleted", row.name);
      return redirectWith(c, "/admin/packages", "ok", `${row.name} was deleted.`);
    });
  });

  return pages;
}

async function findPackage(services: Services, vendor: string, name: string): Promise<PackageRow> {
  const row = await findPackageByName(services.db, `${vendor}/${name}`.toLowerCase());
  if (!row) throw notFound("No such package.");
  return row;
}

function credentialChoices(services: Services) {
  return listCredentials(services.db);
}

async function composerName(services: Services, bytes: Uint8Array): Promise<string> {
  const inspected = await inspectArchive(bytes, { maxUnpackedBytes: services.config.maxUnpackedBytes, maxEntries: 50_000 });
  let name: unknown;
  try {
    name = (JSON.parse(inspected.composerJson) as Record<string, unknown>).name;
  } catch {
    name = undefined;
  }
  if (typeof name !== "string") throw badRequest("composer.json in the archive has no name: fill in the package name.");
  return name;
}

function byVersionDesc(a: VersionEntry, b: VersionEntry): number {
  try {
    return compareVersionsDesc(a.version_normalized, b.version_normalized);
  } catch {
    return 0;
  }
}
