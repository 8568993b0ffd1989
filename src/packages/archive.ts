// Reads an uploaded zip without trusting it: names, sizes and ratios are checked from the
// central directory before anything is inflated, composer.json is the only entry inflated for
// validation, and the archive is re-packed under one top-level directory only when it lacks one
// (Composer strips a single top-level directory when it extracts).
import { unzipSync, zipSync, type Unzipped, type Zippable } from "fflate";
import { AppError } from "../http/errors.ts";

export interface ArchiveLimits {
  maxUnpackedBytes: number;
  maxEntries: number;
}

export interface InspectedArchive {
  /** "" when composer.json sits at the root, else "<dir>/". */
  prefix: string;
  composerJson: string;
  entryCount: number;
}

interface EntryInfo {
  name: string;
  size: number;
  originalSize: number;
}

const invalid = (message: string) => new AppError(400, "invalid_archive", message);

export function inspectArchive(bytes: Uint8Array, limits: ArchiveLimits): InspectedArchive {
  const entries = listEntries(bytes);
  if (entries.length === 0) throw invalid("The archive is empty.");
  if (entries.length > limits.maxEntries) throw invalid(`The archive has more than ${limits.maxEntries} entries.`);
  checkNames(entries);
  checkSizes(entries, bytes.length, limits);
  const prefix = singleTopDirectory(entries);
  const composerPath = `${prefix}composer.json`;
  const composerEntry = entries.find((entry) => entry.name === composerPath) ?? entries.find((entry) => entry.name === "composer.json");
  if (!composerEntry) throw invalid("The archive has no composer.json at its root (or in its single top-level directory).");
  if (composerEntry.originalSize > 1024 * 1024) throw invalid("composer.json is larger than 1 MB.");
  const unpacked = safeUnzip(bytes, (name) => name === composerEntry.name);
  const composerBytes = unpacked[composerEntry.name];
  if (!composerBytes) throw invalid("composer.json could not be read from the archive.");
  return {
    prefix: composerEntry.name === composerPath ? prefix : "",
    composerJson: new TextDecoder().decode(composerBytes),
    entryCount: entries.length,
  };
}

/** Moves every entry under `directory/`; sizes were checked by inspectArchive(). */
export function repackUnder(bytes: Uint8Array, directory: string): Uint8Array {
  const unpacked = safeUnzip(bytes, () => true);
  const tree: Zippable = {};
  for (const [name, content] of Object.entries(unpacked)) {
    if (name.endsWith("/")) continue;
    tree[`${directory}/${name}`] = [content, { level: 6 }];
  }
  return zipSync(tree, { level: 6, mtime: new Date("1980-01-01T00:00:00Z") });
}

function listEntries(bytes: Uint8Array): EntryInfo[] {
  const entries: EntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter(file) {
        entries.push({ name: file.name, size: file.size, originalSize: file.originalSize });
        return false;
      },
    });
  } catch (error) {
    throw invalid(`The upload is not a readable zip archive (${error instanceof Error ? error.message : "unknown error"}).`);
  }
  return entries;
}

function safeUnzip(bytes: Uint8Array, wanted: (name: string) => boolean): Unzipped {
  const declared = new Map<string, number>();
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        declared.set(file.name, file.originalSize);
        return wanted(file.name);
      },
    });
  } catch (error) {
    throw invalid(`The archive could not be unpacked (${error instanceof Error ? error.message : "unknown error"}).`);
  }
  // A header that lies about the inflated size is a zip bomb's trick: refuse it.
  for (const [name, content] of Object.entries(files)) {
    if (content.length !== declared.get(name)) throw invalid(`The entry "${name}" does not match its declared size.`);
  }
  return files;
}

function checkNames(entries: EntryInfo[]): void {
  const seen = new Set<string>();
  for (const { name } of entries) {
    const segments = name.split("/");
    if (
      name.startsWith("/") ||
      name.includes("\\") ||
      name.includes("\0") ||
      /^[A-Za-z]:/.test(name) ||
      segments.some((segment) => segment === ".." || segment === ".")
    ) {
      throw invalid(`The archive contains an unsafe path: "${name.slice(0, 200)}".`);
    }
    // Composer refuses archives whose names collide case-insensitively.
    const folded = name.toLowerCase();
    if (seen.has(folded)) throw invalid(`The archive contains two entries named "${name.slice(0, 200)}" (ignoring case).`);
    seen.add(folded);
  }
}

function checkSizes(entries: EntryInfo[], archiveSize: number, limits: ArchiveLimits): void {
  const unpacked = entries.reduce((total, entry) => total + entry.originalSize, 0);
  if (unpacked > limits.maxUnpackedBytes) {
    throw invalid(`The archive unpacks to ${unpacked} bytes, over the limit of ${limits.maxUnpackedBytes}.`);
  }
  // The same rule as Composer's extractor: a ratio over 99% on more than 50 MB is a bomb.
  if (unpacked > 50 * 1024 * 1024 && archiveSize / unpacked < 0.01) throw invalid("The archive's compression ratio is suspicious (zip bomb).");
  for (const entry of entries) {
    if (entry.originalSize > 1024 * 1024 && entry.size * 1000 < entry.originalSize) {
      throw invalid(`The entry "${entry.name.slice(0, 200)}" has a suspicious compression ratio (zip bomb).`);
    }
  }
}

/** "<dir>/" when every entry lives under one directory, else "". */
function singleTopDirectory(entries: EntryInfo[]): string {
  const tops = new Set(entries.map((entry) => entry.name.split("/")[0]));
  const [top] = tops;
  if (tops.size !== 1 || !top) return "";
  return entries.some((entry) => entry.name.startsWith(`${top}/`)) ? `${top}/` : "";
}
