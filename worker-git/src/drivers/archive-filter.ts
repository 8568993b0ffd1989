// Turns a provider's zipball into the archive Satchel publishes: the provider's own top
// directory (`owner-repo-sha/`, `project-sha-sha/`) replaced by our prefix, and composer.json
// `archive.exclude` applied exactly as Composer's ComposerExcludeFilter does (the providers
// already honour .gitattributes export-ignore, since they build zips with `git archive`).
import { strFromU8, unzipSync, zipSync, type Zippable } from "fflate";
import { RepositoryError } from "./driver.ts";

/** Provider zips are inflated in memory: refuse, before inflating, any that declares more. */
export const MAX_UNPACKED_ARCHIVE_BYTES = 512 * 1024 * 1024;

export interface CompiledExcludeRule {
  regex: RegExp | null;
  negate: boolean;
}

/**
 * Composer's BaseExcludeFilter::generatePattern(): `!` negates, a leading `/` anchors at the
 * root, a rule without a slash (or with only a trailing one) matches at any depth, any other
 * rule matches anywhere in the path (unanchored, as Composer does), and a match also covers
 * everything below a matching directory.
 */
export function compileArchiveExcludes(rules: readonly string[]): CompiledExcludeRule[] {
  return rules.map((original) => {
    let rule = original;
    let negate = false;
    if (rule.startsWith("!")) {
      negate = true;
      rule = rule.replace(/^!+/, "");
    }
    const firstSlash = rule.indexOf("/");
    let anchor = "";
    if (firstSlash === 0) anchor = "^/";
    else if (firstSlash === -1 || firstSlash === rule.length - 1) anchor = "/";
    rule = rule.replace(/^\/+|\/+$/g, "");
    try {
      return { regex: new RegExp(`${anchor}${globToRegex(rule)}(?=$|/)`), negate };
    } catch {
      // Composer ignores a rule whose regex does not compile.
      return { regex: null, negate };
    }
  });
}

/** Whether `path` (relative to the package root, with or without a leading `/`) is excluded. */
export function matchesArchiveExclude(path: string, patterns: readonly string[]): boolean {
  return isExcluded(path, compileArchiveExcludes(patterns));
}

/** The same check with rules compiled once, for callers testing many paths. */
export function isExcluded(path: string, compiled: readonly CompiledExcludeRule[]): boolean {
  const relative = path.startsWith("/") ? path : `/${path}`;
  let exclude = false;
  for (const rule of compiled) {
    if (rule.regex?.test(relative)) exclude = !rule.negate;
  }
  return exclude;
}

/**
 * Symfony Finder's Glob::toRegex() with its defaults (strict leading dot, strict wildcard
 * slash), without the `^…$` anchors, as Composer strips them. PCRE's possessive `[^/]++` is
 * written `[^/]+`: it is followed by `/`, which the class cannot match, so both behave alike.
 */
export function globToRegex(glob: string): string {
  let firstByte = true;
  let escaping = false;
  let inCurlies = 0;
  let regex = "";
  for (let i = 0; i < glob.length; i++) {
    let car = glob[i];
    if (firstByte && car !== ".") regex += "(?=[^\\.])";
    firstByte = car === "/";
    if (firstByte && glob.slice(i + 1, i + 3) === "**" && (i + 3 >= glob.length || glob[i + 3] === "/")) {
      car = `/(?:(?=[^\\.])[^/]+/${i + 3 >= glob.length ? "?" : ""})*`;
      i += 2 + (i + 3 < glob.length ? 1 : 0);
    }
    if (car === "#" || car === "." || car === "(" || car === ")" || car === "|" || car === "+" || car === "^" || car === "$") {
      regex += `\\${car}`;
    } else if (car === "*") {
      regex += escaping ? "\\*" : "[^/]*";
    } else if (car === "?") {
      regex += escaping ? "\\?" : "[^/]";
    } else if (car === "{") {
      regex += escaping ? "\\{" : "(";
      if (!escaping) inCurlies++;
    } else if (car === "}" && inCurlies > 0) {
      regex += escaping ? "}" : ")";
      if (!escaping) inCurlies--;
    } else if (car === "," && inCurlies > 0) {
      regex += escaping ? "," : "|";
    } else if (car === "\\") {
      if (escaping) {
        regex += "\\\\";
        escaping = false;
      } else {
        escaping = true;
      }
      continue;
    } else {
      regex += car;
    }
    escaping = false;
  }
  return regex;
}

export interface ZipEntryMeta {
  os: number;
  attrs: number;
  mtime: Date;
}

/**
 * Re-roots every file of `zip` under `prefix/` (dropping the provider's single top directory),
 * leaves out excluded files and directory entries (files imply their directories, as in
 * Composer's own archives), and keeps each file's Unix mode (executables, symlinks) and time.
 */
export function rerootZip(zip: Uint8Array, prefix: string, excludes: readonly string[], maxUnpackedBytes = MAX_UNPACKED_ARCHIVE_BYTES): Uint8Array {
  let unpacked = 0;
  const files = unzipSync(zip, {
    filter(file) {
      unpacked += file.originalSize;
      if (unpacked > maxUnpackedBytes) {
        throw new RepositoryError("invalid", `The repository's archive unpacks to more than ${Math.round(maxUnpackedBytes / 1024 / 1024)} MB.`);
      }
      return true;
    },
  });
  const meta = readZipEntryMeta(zip);
  const names = Object.keys(files);
  const top = commonTopDirectory(names);
  const rules = compileArchiveExcludes(excludes);
  const base = prefix.replace(/^\/+|\/+$/g, "");
  const out: Zippable = {};
  for (const name of names.sort()) {
    if (name.endsWith("/")) continue;
    const relative = top ? name.slice(top.length) : name;
    if (relative === "" || relative.split("/").some((part) => part === ".." || part === "")) continue;
    if (isExcluded(relative, rules)) continue;
    const info = meta.get(name);
    const target = base ? `${base}/${relative}` : relative;
    out[target] = [files[name], info ? { os: info.os, attrs: info.attrs, mtime: info.mtime, level: 6 } : { level: 6 }];
  }
  return zipSync(out, { level: 6, mtime: new Date(1980, 0, 1) });
}

/** `dir/` when every entry lives under one top-level directory, as provider zipballs do. */
function commonTopDirectory(names: readonly string[]): string | null {
  let top: string | null = null;
  for (const name of names) {
    const slash = name.indexOf("/");
    if (slash <= 0) return null;
    const dir = name.slice(0, slash + 1);
    if (top === null) top = dir;
    else if (top !== dir) return null;
  }
  return top;
}

/** Unix modes and times from the central directory, which fflate's unzipSync does not return. */
export function readZipEntryMeta(zip: Uint8Array): Map<string, ZipEntryMeta> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const result = new Map<string, ZipEntryMeta>();
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return result;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  // Zip64 archives keep the real values elsewhere; their entries simply keep default modes.
  if (offset === 0xffffffff) return result;
  for (let n = 0; n < count && offset + 46 <= zip.length && view.getUint32(offset, true) === 0x02014b50; n++) {
    const madeBy = view.getUint16(offset + 4, true);
    const flags = view.getUint16(offset + 8, true);
    const time = view.getUint16(offset + 12, true);
    const date = view.getUint16(offset + 14, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const attrs = view.getUint32(offset + 38, true);
    const name = strFromU8(zip.subarray(offset + 46, offset + 46 + nameLength), (flags & 0x800) === 0);
    result.set(name, { os: madeBy >> 8, attrs, mtime: dosTime(date, time) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return result;
}

// DOS times are local wall-clock values; fflate writes them back with local getters too.
function dosTime(date: number, time: number): Date {
  const parsed = new Date((date >> 9) + 1980, ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
  const year = parsed.getFullYear();
  return Number.isNaN(year) || year < 1980 || year > 2099 ? new Date(1980, 0, 1) : parsed;
}
