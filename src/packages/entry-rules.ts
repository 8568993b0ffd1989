// What an entry of a served archive may be: a regular file or a directory under a relative,
// plain path. Anything an extractor could follow or write outside its target (symlinks, device
// files, absolute or `..` paths, backslashes and drive letters that Windows reads as
// separators and roots) is refused, naming the entry.
import { quotedEntry } from "./archive-error.ts";

/** Why this entry name is unsafe, or null. */
export function entryNameProblem(name: string): string | null {
  if (name === "") return "an entry has an empty name";
  const problem = pathProblem(name);
  return problem && `the entry ${quotedEntry(name)} has ${problem}`;
}

function pathProblem(name: string): string | null {
  if (/[\u0000-\u001f\u007f]/.test(name)) return "a control character (NUL included) in its name";
  if (name.includes("\\")) return "a backslash in its name (a path separator on Windows)";
  if (name.startsWith("/")) return "an absolute path";
  if (/^[A-Za-z]:/.test(name)) return "a drive letter";
  // A directory entry ends with "/": its last segment is empty, and only that one may be.
  const segments = name.split("/");
  if (segments.slice(0, -1).some((segment) => segment === "")) return "an empty path segment";
  if (segments.some((segment) => segment === "..")) return 'a ".." segment';
  if (segments.some((segment) => segment === ".")) return 'a "." segment';
  return null;
}

const FILE_TYPE_MASK = 0o170000;
const FILE_TYPES: Record<number, string | null> = {
  0: null,
  0o100000: null,
  0o040000: null,
  0o120000: "a symbolic link",
  0o010000: "a named pipe (FIFO)",
  0o020000: "a character device",
  0o060000: "a block device",
  0o140000: "a socket",
};

/**
 * Why this entry's file type is refused, or null. Unix zip tools keep st_mode in the upper 16
 * bits of the external attributes; other hosts leave them 0, so any host is checked.
 */
export function entryTypeProblem(entry: { name: string; externalAttributes: number }): string | null {
  const type = (entry.externalAttributes >>> 16) & FILE_TYPE_MASK;
  const problem = type in FILE_TYPES ? FILE_TYPES[type] : "an unknown file type";
  return problem && `the entry ${quotedEntry(entry.name)} is ${problem}; only regular files and directories are allowed`;
}
