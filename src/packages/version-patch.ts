// A metadata patch: an admin's replacement for the `require`, `require-dev` or `conflict` map of
// one published version (e.g. to tighten a constraint a release got wrong). Checked with
// Composer's own link rules, applied over the stored entry when documents are built, and shown
// as a diff against that entry. Pure: no I/O.
import { validateComposerJson } from "../composer-rules/validate-composer-json.ts";
import type { LinkMap, VersionEntry } from "../composer-rules/version-entry.ts";
import { AppError } from "../http/errors.ts";

export const PATCHABLE_LINKS = ["require", "require-dev", "conflict"] as const;
export type PatchableLink = (typeof PATCHABLE_LINKS)[number];
export type VersionPatch = Partial<Record<PatchableLink, LinkMap>>;

const MAX_LINKS = 500;

export const invalidPatch = (message: string) => new AppError(422, "invalid_patch", message);

/** The patch in a request body, checked as Composer's ValidatingArrayLoader checks links (422 with its message). */
export function parseVersionPatch(body: Record<string, unknown>, packageName: string): VersionPatch {
  const unknown = Object.keys(body).filter((key) => !(PATCHABLE_LINKS as readonly string[]).includes(key));
  if (unknown.length) throw invalidPatch(`A patch may change ${PATCHABLE_LINKS.join(", ")} only, not ${unknown.slice(0, 5).join(", ")}.`);
  const patch: VersionPatch = {};
  for (const link of PATCHABLE_LINKS) {
    const links = body[link];
    if (links === undefined) continue;
    const valid = links !== null && typeof links === "object" && !Array.isArray(links) && Object.values(links).every((value) => typeof value === "string");
    if (!valid) throw invalidPatch(`"${link}" must be an object of package names and version constraints.`);
    if (Object.keys(links).length > MAX_LINKS) throw invalidPatch(`"${link}" has more than ${MAX_LINKS} entries.`);
    patch[link] = { ...(links as LinkMap) };
  }
  if (Object.keys(patch).length === 0) throw invalidPatch(`A patch needs at least one of ${PATCHABLE_LINKS.join(", ")}.`);
  const { errors } = validateComposerJson({ name: packageName, ...patch }, { requireName: true });
  if (errors.length) throw invalidPatch(`The patch is invalid: ${errors.slice(0, 10).join("; ")}`);
  return patch;
}

/** The entry as Composer sees it with the patch: each patched map replaced (an empty map removes it). */
export function applyPatch(entry: VersionEntry, patch: VersionPatch): VersionEntry {
  const patched: VersionEntry = { ...entry };
  for (const link of PATCHABLE_LINKS) {
    const links = patch[link];
    if (links === undefined) continue;
    if (Object.keys(links).length === 0) delete patched[link];
    else patched[link] = links;
  }
  return patched;
}

export interface LinkDiff {
  added: LinkMap;
  removed: LinkMap;
  changed: { [target: string]: { from: string; to: string } };
}

/** What the patch changes in the entry, per patched map. */
export function patchDiff(entry: VersionEntry, patch: VersionPatch): Partial<Record<PatchableLink, LinkDiff>> {
  const diff: Partial<Record<PatchableLink, LinkDiff>> = {};
  for (const link of PATCHABLE_LINKS) {
    const after = patch[link];
    if (after === undefined) continue;
    const before = entry[link] ?? {};
    const change: LinkDiff = { added: {}, removed: {}, changed: {} };
    for (const [target, constraint] of Object.entries(after)) {
      const was = before[target];
      if (was === undefined) change.added[target] = constraint;
      else if (was !== constraint) change.changed[target] = { from: was, to: constraint };
    }
    for (const [target, constraint] of Object.entries(before)) if (!(target in after)) change.removed[target] = constraint;
    diff[link] = change;
  }
  return diff;
}
