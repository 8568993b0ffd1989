// Parses the package name out of Composer-facing paths with THE package-name rule, so that
// uppercase, dot-dot, encoded or over-long names never reach a lookup or a blob key.
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { notFound, type AppError } from "../http/errors.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";

// Names that passed the rule, so a warm request checks a Set instead of five patterns. Only
// valid names enter it, and it is bounded: unknown names cannot grow it past the bound.
const validNames = new Set<string>();

export function packageNameFrom(vendor: string, name: string): string {
  const full = `${vendor}/${name}`;
  if (validNames.has(full)) return full;
  if (full.length > 255 || !isValidPackageName(full)) throw notFoundFor(full);
  if (validNames.size >= 10_000) validNames.clear();
  validNames.add(full);
  return full;
}

// Parsed p2 paths of valid names, by vendor then file (no string to build per request),
// bounded like validNames: a warm request does two lookups.
const parsedFiles = new Map<string, Map<string, { name: string; kind: DocumentKind }>>();
let parsedCount = 0;

/** `name.json` -> tags, `name~dev.json` -> branches. */
export function parseP2File(vendor: string, file: string): { name: string; kind: DocumentKind } {
  const known = parsedFiles.get(vendor)?.get(file);
  if (known !== undefined) return known;
  const match = /^(.+?)(~dev)?\.json$/.exec(file);
  if (!match?.[1]) throw notFoundFor(`${vendor}/${file}`);
  const parsed = { name: packageNameFrom(vendor, match[1]), kind: match[2] ? ("dev" as const) : ("tags" as const) };
  if (++parsedCount > 10_000) {
    parsedFiles.clear();
    parsedCount = 1;
  }
  let files = parsedFiles.get(vendor);
  if (!files) parsedFiles.set(vendor, (files = new Map()));
  files.set(file, parsed);
  return parsed;
}

// The same missing name is asked for again and again (every CI run of a project that requires
// it): its 404 is built once. Keyed by the part the message shows; bounded like validNames.
const notFoundByName = new Map<string, AppError>();

export function notFoundFor(name: string): AppError {
  const shown = name.slice(0, 120);
  let error = notFoundByName.get(shown);
  if (!error) {
    if (notFoundByName.size >= 1_000) notFoundByName.clear();
    error = notFound(`Package "${shown}" was not found in this repository, or your credentials do not give access to it.`);
    notFoundByName.set(shown, error);
  }
  return error;
}
