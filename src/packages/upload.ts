// PUT /api/packages/upload/{vendor}/{name}/{version}: an artifact release without VCS. The zip
// (raw body or multipart field `package`) is checked, its composer.json validated as Composer
// does, re-packed under one top-level directory if needed, stored, and published.
import { currentPrincipal } from "../auth/middleware.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { validateComposerJson } from "../composer-rules/validate-composer-json.ts";
import { sha1Hex } from "../crypto/digest.ts";
import { buildVersionEntry } from "../composer-rules/version-entry.ts";
import { normalize, parseStability } from "../composer-rules/version-parser.ts";
import type { Services } from "../services.ts";
import { AppError, badRequest, conflict } from "../http/errors.ts";
import { PUBLIC_BASE_PLACEHOLDER } from "../composer/public-base.ts";
import { checkedParams, type ParamContext } from "../http/route-params.ts";
import { archiveToStore, inspectArchive, verifyArchive } from "./archive.ts";
import { storeRelease } from "./artifact-store.ts";
import { findPackageByName } from "./package-store.ts";
import { repackFolder } from "./repack-folder.ts";
import { readUploadBody } from "./upload-body.ts";
import type { Actor } from "../webhooks/outgoing/package-events.ts";

interface UploadTarget {
  name: string;
  version: string;
}

/** `:vendor/:name/:version` checked (400 invalid_name / invalid_version) before the body is read. */
export const uploadTargetParams = () =>
  checkedParams((params): UploadTarget => {
    // The router already percent-decoded the segment once: decoding again would read "%25" as "%".
    const target = { name: `${params.vendor}/${params.name}`, version: (params.version ?? "").trim() };
    checkUploadTarget(target.name, target.version);
    return target;
  });

export async function uploadArtifact(c: ParamContext<UploadTarget>): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const { name, version } = c.req.valid("param");
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
  const limits = { maxUnpackedBytes: services.config.maxUnpackedBytes, maxEntries: 50_000 };
  const inspected = await inspectArchive(uploaded, limits);
  const composer = parseComposerJson(inspected.composerJson, name, versionNormalized);
  await verifyArchive(uploaded, inspected, limits);

  const archive = archiveToStore(uploaded, inspected, repackFolder(name, versionNormalized));
  const reference = await sha1Hex(archive);
  const existing = await findPackageByName(services.db, name);
  if (existing && existing.kind !== "artifact") {
    const where = existing.kind === "custom" ? "defined by JSON; define its versions with PUT /api/packages/custom/{vendor}/{name}/versions/{version}" : "read from its repository; upload releases there";
    throw conflict(`${name} is ${where}.`, "not_an_artifact_package");
  }
  const time = typeof composer.time === "string" && Number.isFinite(Date.parse(composer.time)) ? new Date(Date.parse(composer.time)) : new Date(services.now());
  const entry = buildVersionEntry({
    composer,
    version,
    versionNormalized,
    dist: { type: "zip", url: `${PUBLIC_BASE_PLACEHOLDER}/zipball/${name}/${reference}.zip`, reference, shasum: reference },
    time: time.toISOString(),
  });
  await storeRelease(services, {
    name,
    archive,
    entry,
    row: { version, versionNormalized, reference, isDev: false, releasedAt: time.getTime(), data: JSON.stringify(entry), createdAt: services.now() },
  }, actor);
  return { name, version, version_normalized: versionNormalized, reference, shasum: reference };
}


function normalizeRelease(version: string): string {
  if (!version || version.length > 100) throw badRequest("A version is required in the URL.", "invalid_version");
  // Composer's parser trims NUL and tolerates other bytes in build metadata; a stored version never holds them.
  if (/[\u0000-\u001f\u007f\s]/.test(version)) throw badRequest(`"${JSON.stringify(version).slice(1, -1)}" is not a valid version: it contains a control character or a space.`, "invalid_version");
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
