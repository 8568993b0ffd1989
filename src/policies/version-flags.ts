// Flagging a version as malware or compromised, and lifting the flag: checked input, the write
// (which moves the package's versions revision), the rebuild of its documents, and an audit
// entry with what was flagged and why. Shared by the REST API and the admin page. A name with no
// private package is flagged as an upstream (proxied) package when an upstream serves that version.
import { auditFrom } from "../audit/audit-log.ts";
import { normalize } from "../composer-rules/version-parser.ts";
import type { AppContext } from "../http/context.ts";
import { AppError, notFound } from "../http/errors.ts";
import type { JsonObject } from "../http/json-body.ts";
import { rebuildDocuments } from "../packages/rebuild-documents.ts";
import type { PackageRow } from "../packages/package-store.ts";
import { addFlag, FLAG_KINDS, findStoredVersion, liftFlag, type FlagKind, type VersionFlag } from "./flag-store.ts";
import type { Principal } from "../auth/principal.ts";
import type { Services } from "../services.ts";
import { mirroredVersion } from "../proxy/mirror-withholding.ts";
import { addUpstreamFlag, liftUpstreamFlag, type UpstreamVersionFlag } from "./upstream-flag-store.ts";

export interface FlagInput {
  version: string;
  kind: FlagKind;
  reason: string;
}

const invalid = (message: string) => new AppError(422, "invalid_flag", message);

export function readFlagInput(body: JsonObject): FlagInput {
  const { version, kind, reason } = body;
  if (typeof version !== "string" || version.trim() === "" || version.length > 255) throw invalid('"version" is required: the version to flag, e.g. "1.2.0".');
  if (typeof kind !== "string" || !(FLAG_KINDS as readonly string[]).includes(kind)) throw invalid(`"kind" must be one of ${FLAG_KINDS.map((k) => `"${k}"`).join(", ")}.`);
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > 1000) throw invalid('"reason" is required (at most 1000 characters): it is shown to Composer users.');
  return { version: version.trim(), kind: kind as FlagKind, reason: reason.trim() };
}

export async function flagVersion(c: Pick<AppContext, "get" | "req" | "env">, actor: { userId: number; username: string }, pkg: PackageRow, input: FlagInput): Promise<VersionFlag> {
  const services = c.get("services");
  const normalized = normalizedOrNull(input.version);
  const stored = normalized === null ? undefined : await findStoredVersion(services.db, pkg.id, normalized);
  if (!stored || normalized === null) throw notFound(`${pkg.name} has no version ${input.version}.`);
  const flag = await addFlag(services.db, { packageId: pkg.id, versionNormalized: normalized, kind: input.kind, reason: input.reason, flaggedBy: actor.username }, services.now());
  await rebuildDocuments(services, pkg.id);
  await auditFrom(c, actor, "flag version", `${pkg.name} ${stored.version}`, { kind: input.kind, reason: input.reason, flag: flag.id });
  return flag;
}

export async function liftVersionFlag(c: Pick<AppContext, "get" | "req" | "env">, actor: { userId: number; username: string }, pkg: PackageRow, id: number): Promise<void> {
  const services = c.get("services");
  const flag = await liftFlag(services.db, pkg.id, id);
  if (!flag) throw notFound("No such flag.");
  await rebuildDocuments(services, pkg.id);
  await auditFrom(c, actor, "lift version flag", `${pkg.name} ${flag.versionNormalized}`, { kind: flag.kind, reason: flag.reason, flag: flag.id });
}

export async function flagUpstreamVersion(c: Pick<AppContext, "get" | "req" | "env">, actor: Principal, name: string, input: FlagInput): Promise<UpstreamVersionFlag> {
  const services = c.get("services");
  const normalized = normalizedOrNull(input.version);
  const version = normalized === null ? undefined : await upstreamVersion(services, actor, name, normalized);
  if (version === undefined || normalized === null) throw notFound(`${name} has no version ${input.version}.`);
  const flag = await addUpstreamFlag(services.db, { packageName: name, versionNormalized: normalized, version, kind: input.kind, reason: input.reason, flaggedBy: actor.username }, services.now());
  services.upstreams.proxy.forgetFlags();
  await auditFrom(c, actor, "flag version", `${name} ${version}`, { kind: input.kind, reason: input.reason, upstreamFlag: flag.id });
  return flag;
}

export async function liftUpstreamVersionFlag(c: Pick<AppContext, "get" | "req" | "env">, actor: { userId: number; username: string }, name: string, id: number): Promise<void> {
  const services = c.get("services");
  const flag = await liftUpstreamFlag(services.db, name, id, services.now());
  if (!flag) throw notFound("No such flag.");
  services.upstreams.proxy.forgetFlags();
  await auditFrom(c, actor, "lift version flag", `${name} ${flag.version}`, { kind: flag.kind, reason: flag.reason, upstreamFlag: flag.id });
}

/** The version an upstream serves for this name (tags, then branches), as it names it. */
async function upstreamVersion(services: Services, actor: Principal, name: string, normalized: string): Promise<string | undefined> {
  for (const kind of ["tags", "dev"] as const) {
    const answer = await services.upstreams.proxy.find(actor, name, kind, services.now(), false);
    const version = answer.status === "found" ? mirroredVersion(name, answer.document.text, normalized) : undefined;
    if (version !== undefined) return version;
  }
  return undefined;
}

/** A version as Composer normalizes it (branches as `dev-<name>`), or null when it cannot be one. */
function normalizedOrNull(version: string): string | null {
  try {
    return normalize(version);
  } catch {
    return null;
  }
}
