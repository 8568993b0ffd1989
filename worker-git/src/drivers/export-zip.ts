// The zipball of an exported tree (`svn export`, `hg archive -t files`): every file under
// `prefix/`, composer.json `archive.exclude` applied (Composer's rules, archive-filter.ts; there
// is no .gitattributes here), Unix modes and symlinks kept, no directory entries, and fixed times
// so the same revision always gives the same bytes.
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { zipSync, type Zippable } from "fflate";
import { RepositoryError } from "./driver.ts";
import { compileArchiveExcludes, isExcluded, MAX_UNPACKED_ARCHIVE_BYTES } from "./archive-filter.ts";

const FIXED_TIME = new Date(1980, 0, 1);

export async function zipDirectory(root: string, prefix: string, excludes: readonly string[], maxBytes = MAX_UNPACKED_ARCHIVE_BYTES): Promise<Uint8Array> {
  const rules = compileArchiveExcludes(excludes);
  const base = prefix.replace(/^\/+|\/+$/g, "");
  const out: Zippable = {};
  let total = 0;
  for (const relative of (await listFiles(root, "")).sort()) {
    if (isExcluded(relative, rules)) continue;
    const full = path.join(root, relative);
    const stat = await lstat(full);
    const bytes = stat.isSymbolicLink() ? new TextEncoder().encode(await readlink(full)) : new Uint8Array(await readFile(full));
    total += bytes.length;
    if (total > maxBytes) throw new RepositoryError("invalid", `The export is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    out[`${base}/${relative}`] = [bytes, { os: 3, attrs: (stat.mode & 0xffff) << 16, mtime: FIXED_TIME, level: 6 }];
  }
  return zipSync(out, { level: 6, mtime: FIXED_TIME });
}

/** Files and symlinks under `dir`, as slash-separated paths relative to the root. */
async function listFiles(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(root, relative)));
    else if (entry.isFile() || entry.isSymbolicLink()) found.push(relative);
  }
  return found;
}
