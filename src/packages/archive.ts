// Reads an uploaded zip without trusting it. inspectArchive() checks the central directory
// (entry names and types, declared sizes and ratios) and reads composer.json; verifyArchive()
// then inflates every entry, bounded, to prove the declared sizes and checksums true, so what
// is stored is exactly what was checked. An archive without a single top-level directory is
// re-packed under one (Composer strips a single top-level directory when it extracts).
import { invalidArchive, quotedEntry } from "./archive-error.ts";
import { growthProblem, inflateEntry, Pacer, type UnpackLimits } from "./bounded-unzip.ts";
import { entryNameProblem, entryTypeProblem } from "./entry-rules.ts";
import { readZipDirectory, type ZipEntry } from "./zip-directory.ts";
import { moveUnderFolder } from "./zip-prefix.ts";

export interface ArchiveLimits extends UnpackLimits {
  maxEntries: number;
}

export interface InspectedArchive {
  /** "" when composer.json sits at the root, else "<dir>/". */
  prefix: string;
  composerJson: string;
  entries: ZipEntry[];
}

const MAX_COMPOSER_JSON_BYTES = 1024 * 1024;
// Composer reads composer.json as UTF-8 and rejects anything else; a BOM is dropped, as it does.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export async function inspectArchive(bytes: Uint8Array, limits: ArchiveLimits): Promise<InspectedArchive> {
  const entries = safeEntries(bytes, limits);
  const prefix = singleTopDirectory(entries);
  const composerPath = `${prefix}composer.json`;
  const composerEntry = entries.find((entry) => entry.name === composerPath) ?? entries.find((entry) => entry.name === "composer.json");
  if (!composerEntry) throw invalidArchive("The archive has no composer.json at its root (or in its single top-level directory).");
  if (composerEntry.size > MAX_COMPOSER_JSON_BYTES) throw invalidArchive("composer.json is larger than 1 MB.");
  const composerBytes = await inflateEntry(bytes, composerEntry, { before: 0, limits, pacer: new Pacer(), keep: true });
  return { prefix: composerEntry.name === composerPath ? prefix : "", composerJson: decodeComposerJson(composerBytes), entries };
}

/** The central directory's entries, each safe to extract (names, types, declared sizes). */
export function safeEntries(bytes: Uint8Array, limits: ArchiveLimits): ZipEntry[] {
  const entries = readZipDirectory(bytes, limits.maxEntries);
  if (entries.length === 0) throw invalidArchive("The archive is empty.");
  checkEntries(entries);
  checkDeclaredSizes(entries, bytes.length, limits);
  return entries;
}

/** An archive served as it is (a custom package's dist, which needs no composer.json): safe, and true to its directory. */
export async function checkServedArchive(bytes: Uint8Array, limits: ArchiveLimits): Promise<void> {
  await verifyArchive(bytes, { prefix: "", composerJson: "", entries: safeEntries(bytes, limits) }, limits);
}

/** Inflates every entry (bounded, paced): each must match its declared size and CRC-32. */
export async function verifyArchive(bytes: Uint8Array, inspected: InspectedArchive, limits: UnpackLimits): Promise<void> {
  const pacer = new Pacer();
  let unpacked = 0;
  for (const entry of inspected.entries) {
    await inflateEntry(bytes, entry, { before: unpacked, limits, pacer });
    unpacked += entry.size;
  }
}

/** The archive to store: the upload itself, or its entries moved under `folder/` when they have no single top directory. */
export function archiveToStore(bytes: Uint8Array, inspected: InspectedArchive, folder: string): Uint8Array {
  return inspected.prefix ? bytes : moveUnderFolder(bytes, inspected.entries, folder);
}

function decodeComposerJson(bytes: Uint8Array | null): string {
  try {
    return strictUtf8.decode(bytes ?? new Uint8Array(0));
  } catch {
    throw invalidArchive("composer.json is not valid UTF-8 (Composer reads it as UTF-8 only).");
  }
}

function checkEntries(entries: ZipEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const problem = entryNameProblem(entry.name) ?? entryTypeProblem(entry);
    if (problem) throw invalidArchive(`The archive contains an unsafe entry: ${problem}.`);
    // Composer refuses archives whose names collide case-insensitively ("a" and "a/" collide too).
    const folded = entry.name.toLowerCase().replace(/\/$/, "");
    if (seen.has(folded)) throw invalidArchive(`The archive contains two entries named ${quotedEntry(entry.name)} (ignoring case).`);
    seen.add(folded);
  }
}

/** The cheap first pass on what the directory claims; verifyArchive() holds the entries to it. */
function checkDeclaredSizes(entries: ZipEntry[], archiveSize: number, limits: UnpackLimits): void {
  let unpacked = 0;
  for (const entry of entries) {
    const problem = growthProblem(entry, entry.size, unpacked, limits);
    if (problem) throw problem;
    unpacked += entry.size;
  }
  // The same rule as Composer's extractor: a ratio over 99% on more than 50 MB is a bomb.
  if (unpacked > 50 * 1024 * 1024 && archiveSize / unpacked < 0.01) throw invalidArchive("The archive's compression ratio is suspicious (zip bomb).");
}

/** "<dir>/" when every entry lives under one directory, else "". */
function singleTopDirectory(entries: ZipEntry[]): string {
  const tops = new Set(entries.map((entry) => entry.name.split("/")[0]));
  const [top] = tops;
  if (tops.size !== 1 || !top) return "";
  return entries.some((entry) => entry.name.startsWith(`${top}/`)) ? `${top}/` : "";
}
