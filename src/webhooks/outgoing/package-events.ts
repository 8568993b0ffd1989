// The events a change to a package raises: a publish (its added, updated and removed versions,
// stable and dev apart), a new or deleted package, a failed update. A publish's events commit
// with it; the others are queued after the change, and a failure to queue those is logged,
// never thrown: a hook must not break the change that raised it.
import { isDevVersion } from "../../composer-rules/p2-document.ts";
import type { VersionEntry } from "../../composer-rules/version-entry.ts";
import { normalize } from "../../composer-rules/version-parser.ts";
import { findPackage } from "../../packages/package-store.ts";
import { redactUrl } from "../../http/redact.ts";
import type { PublishSummary } from "../../jobs/publish-versions.ts";
import type { BatchStatement } from "../../ports.ts";
import type { Services } from "../../services.ts";
import { deliveriesFor, emitEvent, makeEvent, type EventName, type EventVersion, type HookEvent } from "./events.ts";
import { activeHooks, deliveryInserts } from "./outbox-store.ts";

export type Actor = { username: string } | null;

export interface PackageRef {
  id: number;
  name: string;
  repository: string | null;
}

/**
 * The deliveries a publish raises, built from the entries it commits (not read back), as inserts
 * to run in the SAME batch as the change: a change is never committed without its events, and a
 * retried change never announces twice. Call `services.hooks.requestDrain()` once it committed.
 */
export async function publishEventInserts(
  services: Services,
  summary: PublishSummary,
  pkg: PackageRef,
  entries: readonly VersionEntry[],
  options: { created: boolean; actor?: Actor },
): Promise<{ inserts: BatchStatement[] }> {
  const hooks = await activeHooks(services.db);
  if (hooks.length === 0) return { inserts: [] };
  const byVersion = new Map(entries.map((entry) => [entry.version, entry]));
  const pick = (list: string[], dev: boolean): EventVersion[] =>
    list
      .map((version) => byVersion.get(version))
      .filter((entry) => entry !== undefined && isDevVersion(entry.version_normalized) === dev)
      .map((entry) => eventVersion(entry as VersionEntry));
  const removed = summary.removed.map(removedVersion);
  const batches: [EventName, EventVersion[]][] = [
    ["new_release", pick(summary.added, false)],
    ["update_release", pick(summary.updated, false)],
    ["delete_release", removed.filter((version) => !isDevVersion(version.version_normalized))],
    ["push_new_event", pick(summary.added, true)],
    ["update_new_event", pick(summary.updated, true)],
  ];
  const actor = options.actor ?? null;
  const events = [
    ...(options.created ? [packageEvent(services, "new_repo", pkg, actor)] : []),
    ...batches.filter(([, list]) => list.length).map(([event, list]) => packageEvent(services, event, pkg, actor, { versions: list })),
  ];
  return { inserts: deliveryInserts(services.db, events.flatMap((event) => deliveriesFor(services, hooks, event))) };
}

/** As the version row stores it: the time is `released_at`, so an unparsable one is null. */
function eventVersion(entry: VersionEntry): EventVersion {
  const releasedAt = entry.time ? Date.parse(entry.time) : Number.NaN;
  return {
    version: entry.version,
    version_normalized: entry.version_normalized,
    reference: entry.dist?.reference ?? null,
    time: Number.isFinite(releasedAt) && releasedAt ? new Date(releasedAt).toISOString() : null,
  };
}

export async function emitPackageEvent(services: Services, event: "new_repo" | "delete_repo", pkg: PackageRef, actor: Actor = null): Promise<void> {
  await guarded(services, () => emitEvent(services, packageEvent(services, event, pkg, actor)));
}

export async function emitUpdateFailed(services: Services, packageId: number | null, repository: string | null, error: string): Promise<void> {
  await guarded(services, async () => {
    const pkg = packageId === null ? undefined : await findPackage(services.db, packageId);
    const event = pkg
      ? packageEvent(services, "update_repo_failed", pkg, null, { error })
      : makeEvent(services, "update_repo_failed", { package: null, error: `${repository ? `${redactUrl(repository)}: ` : ""}${error}` });
    await emitEvent(services, event);
  });
}

function packageEvent(services: Services, event: EventName, pkg: PackageRef, actor: Actor, fields: Partial<HookEvent> = {}): HookEvent {
  return makeEvent(services, event, { package: { name: pkg.name, repository: pkg.repository && redactUrl(pkg.repository) }, user: actor, ...fields });
}

function removedVersion(version: string): EventVersion {
  let normalized = version;
  try {
    normalized = normalize(version);
  } catch {
    // A removed version was valid once; keep its name if the rules changed.
  }
  return { version, version_normalized: normalized, reference: null, time: null };
}

async function guarded(services: Services, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    services.log.error("could not queue webhook events", { error: error instanceof Error ? error.message : String(error) });
  }
}
