// The events a change to a package raises: a publish (its added, updated and removed versions,
// stable and dev apart), a new or deleted package, a failed update. Failures to queue are
// logged, never thrown: a hook must not break the change that raised it.
import { isDevVersion } from "../../composer-rules/p2-document.ts";
import { normalize } from "../../composer-rules/version-parser.ts";
import { findPackage, findPackageByName, versionsNamed } from "../../packages/package-store.ts";
import { redactUrl } from "../../http/redact.ts";
import type { PublishSummary } from "../../jobs/publish-versions.ts";
import type { Services } from "../../services.ts";
import { emitEvent, makeEvent, type EventName, type EventVersion, type HookEvent } from "./events.ts";

export type Actor = { username: string } | null;

interface PackageRef {
  id: number;
  name: string;
  repository: string | null;
}

export async function emitPublishEvents(services: Services, summary: PublishSummary, options: { created: boolean; actor?: Actor }): Promise<void> {
  await guarded(services, async () => {
    const pkg = await findPackageByName(services.db, summary.package);
    if (!pkg) return;
    const changed = [...summary.added, ...summary.updated];
    const rows = await versionsNamed(services.db, pkg.id, changed.slice(0, 500));
    const byVersion = new Map(rows.map((row) => [row.version, row]));
    const details = (list: string[]) => list.map((version) => byVersion.get(version)).filter((row) => row !== undefined);
    const pick = (list: string[], dev: boolean): EventVersion[] =>
      details(list)
        .filter((row) => row.isDev === dev)
        .map((row) => ({ version: row.version, version_normalized: row.versionNormalized, reference: row.reference, time: row.releasedAt ? new Date(row.releasedAt).toISOString() : null }));
    const removed = summary.removed.map(removedVersion);
    const batches: [EventName, EventVersion[]][] = [
      ["new_release", pick(summary.added, false)],
      ["update_release", pick(summary.updated, false)],
      ["delete_release", removed.filter((version) => !isDevVersion(version.version_normalized))],
      ["push_new_event", pick(summary.added, true)],
      ["update_new_event", pick(summary.updated, true)],
    ];
    if (options.created) await emitEvent(services, packageEvent(services, "new_repo", pkg, options.actor ?? null));
    for (const [event, list] of batches) {
      if (list.length) await emitEvent(services, packageEvent(services, event, pkg, options.actor ?? null, { versions: list }));
    }
  });
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
