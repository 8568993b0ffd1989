// PUT /api/packages/upload/{vendor}/{name}/{version}: an artifact release without VCS. The zip
// (raw body or multipart field `package`) is checked, its composer.json validated as Composer
// does, re-packed under one top-level directory if needed, stored, and published.
import { and, asc, eq } from "drizzle-orm";
import { currentPrincipal } from "../auth/middleware.ts";
import { distKey } from "../blobs/keys.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { validateComposerJson } from "../composer-rules/validate-composer-json.ts";
import { buildVersionEntry, type VersionEntry } from "../composer-rules/version-entry.ts";
import { normalize, parseStability } from "../composer-rules/version-parser.ts";
import { packages, versions } from "../db/schema.ts";
import type { AppContext } from "../http/context.ts";
import type { Services } from "../services.ts";
import { AppError, badRequest, conflict } from "../http/errors.ts";
import { PUBLIC_BASE_PLACEHOLDER } from "../composer/public-base.ts";
import { inspectArchive, repackUnder } from "./archive.ts";
import { createPackageRow } from "./package-rows.ts";
import { commitVersions } from "./publish.ts";
import { readUploadBody } from "./upload-body.ts";
import { publishEventInserts, type Actor } from "../webhooks/outgoing/package-events.ts";

export async function uploadArtifact(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const name = `${c.req.param("vendor")}/${c.req.param("name")}`;
  const version = decodeURIComponent(c.req.param("version") ?? "").trim();
  checkUploadTarget(name, version);
  const uploaded = await readUploadBody(c, services.config.maxUploadBytes);
  return c.json(await storeArtifact(services, name, version, uploaded, { username: principal.username }), 201);
}

/** Name and version checks that need no archive: done before the body is read. */
export function checkUploadTarget(name: string, version: string): string {
  if (name.length > 255 || !isValidPackageName(name)) throw badRequest(`"${name.slice(0, 120)}" is not a valid package name (lowercase vendor/name).`, "invalid_name");
  return normalizeRelease(version);
}

/** Checks, stores and publishes one uploaded release (the REST upload and the admin page's form). */
export async function storeArtifact(services: Services, name: string, version: string, uploaded: Uint8Array, actor: Actor = null) {
  const versionNormalized = checkUploadTarget(name, version);
  const inspected = inspectArchive(uploaded, { maxUnpackedBytes: services.config.maxUnpackedBytes, maxEntries: 50_000 });
  const composer = parseComposerJson(inspected.composerJson, name, versionNormalized);

  const archive = inspected.prefix ? uploaded : repackUnder(uploaded, `${name.replace("/", "-")}-${version}`);
  const reference = await sha1Hex(archive);
  const existing = await services.db.orm.select().from(packages).where(eq(packages.name, name)).get();
  if (existing && existing.kind !== "artifact") throw conflict(`${name} is read from its repository; upload releases there.`, "not_an_artifact_package");
  const pkg = existing ?? (await createPackageRow(services, { name, kind: "artifact", repository: null }));
  const duplicate = await services.db.orm
    .select({ versionNormalized: versions.versionNormalized })
    .from(versions)
    .where(and(eq(versions.packageId, pkg.id), eq(versions.versionNormalized, versionNormalized)))
    .get();
  if (duplicate) throw conflict(`${name} ${version} already exists (${duplicate.versionNormalized}); versions are immutable.`, "duplicate_version");

  const time = typeof composer.time === "string" && Number.isFinite(Date.parse(composer.time)) ? new Date(Date.parse(composer.time)) : new Date(services.now());
  const entry = buildVersionEntry({
    composer,
    version,
    versionNormalized,
    dist: { type: "zip", url: `${PUBLIC_BASE_PLACEHOLDER}/zipball/${name}/${reference}.zip`, reference, shasum: reference },
    time: time.toISOString(),
  });
  const stored = await services.db.orm.select({ data: versions.data }).from(versions).where(eq(versions.packageId, pkg.id)).orderBy(asc(versions.id)).all();
  // The archive goes in first: a version row must never point at a missing zipball.
  await services.blobs.put(distKey(name, reference), archive);
  const summary = { package: name, added: [version], updated: [], removed: [], kept: [] };
  // A package whose first upload failed after creating its row is announced by the one that lands.
  const { inserts: events } = await publishEventInserts(services, summary, pkg, [entry], { created: !existing || stored.length === 0, actor });
  try {
    const after = [...stored.map((row) => JSON.parse(row.data) as VersionEntry), entry];
    await commitVersions(services, pkg, after, [
      ...events,
      services.db.orm.insert(versions).values({
        packageId: pkg.id,
        version,
        versionNormalized,
        reference,
        isDev: false,
        releasedAt: time.getTime(),
        data: JSON.stringify(entry),
        createdAt: services.now(),
      }),
    ]);
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`${name} ${version} already exists; versions are immutable.`, "duplicate_version");
    throw error;
  }
  if (events.length) services.hooks.requestDrain();
  return { name, version, version_normalized: versionNormalized, reference, shasum: reference };
}

function normalizeRelease(version: string): string {
  if (!version || version.length > 100) throw badRequest("A version is required in the URL.", "invalid_version");
  let normalized: string;
  try {
    normalized = normalize(version);
  } catch (error) {
    throw badRequest(`"${version}" is not a valid version: ${error instanceof Error ? error.message : "rejected"}.`, "invalid_version");
  }
  if (parseStability(normalized) === "dev") throw badRequest(`"${version}" is a development version; upload release versions only.`, "invalid_version");
  return normalized;
}

function parseComposerJson(text: string, name: string, versionNormalized: string) {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw badRequest(`composer.json is not valid JSON: ${error instanceof Error ? error.message : "parse error"}.`, "invalid_composer_json");
  }
  const { errors, config } = validateComposerJson(data, { requireName: true });
  if (errors.length) throw new AppError(400, "invalid_composer_json", `composer.json is invalid: ${errors.slice(0, 10).join("; ")}`);
  if (config.name !== name) throw badRequest(`composer.json names "${String(config.name)}" but the upload URL names "${name}".`, "name_mismatch");
  if (typeof config.version === "string") {
    let own: string | undefined;
    try {
      own = normalize(config.version);
    } catch {
      own = undefined;
    }
    if (own !== versionNormalized) throw badRequest(`composer.json has version "${config.version}" but the upload URL says ${versionNormalized}.`, "version_mismatch");
  }
  return config;
}

async function sha1Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
