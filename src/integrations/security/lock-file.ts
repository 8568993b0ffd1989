// composer.lock as Composer writes it (Composer\Package\Locker): the locked packages and their
// versions. Anything else is refused with a reason a job failure can show: a file over the size
// bound, not JSON, a key Composer does not write, a package entry without name or version.
export const MAX_LOCK_BYTES = 8 * 1024 * 1024;

/** The top-level keys Composer 2's Locker writes (plus `_readme`). */
const KNOWN_KEYS = new Set([
  "_readme",
  "content-hash",
  "hash",
  "packages",
  "packages-dev",
  "aliases",
  "minimum-stability",
  "stability-flags",
  "prefer-stable",
  "prefer-lowest",
  "platform",
  "platform-dev",
  "platform-overrides",
  "plugin-api-version",
]);

export interface LockedPackage {
  name: string;
  version: string;
  /** The commit the lock pins (source, else dist reference). */
  reference: string | null;
  dev: boolean;
}

export class LockFileError extends Error {}

export function parseLockFile(bytes: Uint8Array): LockedPackage[] {
  // The provider read stops one byte past the bound: the size is "more than", not exact.
  if (bytes.length > MAX_LOCK_BYTES) throw new LockFileError(`composer.lock is larger than ${MAX_LOCK_BYTES} bytes, the most Satchel reads.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (error) {
    throw new LockFileError(`composer.lock is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : "unreadable"}.`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new LockFileError("composer.lock is not a JSON object.");
  const lock = parsed as Record<string, unknown>;
  const unknown = Object.keys(lock).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length) throw new LockFileError(`composer.lock has keys Composer does not write: ${unknown.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 60))).join(", ")}.`);
  return [...entries(lock.packages, "packages", false), ...entries(lock["packages-dev"], "packages-dev", true)];
}

function entries(value: unknown, key: string, dev: boolean): LockedPackage[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new LockFileError(`composer.lock's "${key}" is not a list.`);
  return value.map((entry: unknown, index) => {
    const item = entry && typeof entry === "object" && !Array.isArray(entry) ? (entry as Record<string, unknown>) : null;
    if (!item || typeof item.name !== "string" || typeof item.version !== "string" || item.name === "" || item.version === "") {
      throw new LockFileError(`composer.lock's "${key}"[${index}] has no "name" and "version".`);
    }
    return { name: item.name.toLowerCase(), version: item.version, reference: referenceOf(item), dev };
  });
}

function referenceOf(item: Record<string, unknown>): string | null {
  for (const key of ["source", "dist"]) {
    const reference = (item[key] as { reference?: unknown } | undefined)?.reference;
    if (typeof reference === "string" && reference !== "") return reference;
  }
  return null;
}
