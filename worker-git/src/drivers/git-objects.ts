// Git's raw object formats, as `cat-file --batch` returns them: a commit's headers (its tree and
// author time) and a tree's entries ("<octal mode> <name>\0<binary id>", repeated).
import type { GitObject } from "./git-batch.ts";

export interface CommitInfo {
  tree: string;
  /** Author time in seconds (`%at`), or null when the object has none. */
  authorTime: number | null;
}

export interface TreeEntry {
  kind: "blob" | "tree" | "symlink" | "submodule";
  oid: string;
}

/** Tree and author time of a commit; a tree stands for itself (a tag may point at one). */
export function parseCommit(object: GitObject | null): CommitInfo | null {
  if (!object?.content) return null;
  if (object.type === "tree") return { tree: object.oid, authorTime: null };
  if (object.type !== "commit") return null;
  const text = object.content.toString("utf8");
  const end = text.indexOf("\n\n");
  const headers = (end < 0 ? text : text.slice(0, end)).split("\n");
  const tree = headers.find((line) => line.startsWith("tree "))?.slice(5);
  if (!tree) return null;
  // "author Name <email> 1700000000 +0100": the time is the second-last field after the email.
  const author = headers.find((line) => line.startsWith("author "));
  const time = author ? />\s*(-?\d+)\s+[-+]?\d+\s*$/.exec(author) : null;
  return { tree, authorTime: time ? Number(time[1]) : null };
}

/** The entries of a raw tree, by name (UTF-8 decoded; git compares bytes, names are rarely odd). */
export function parseTree(content: Buffer, hashBytes: number): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  let offset = 0;
  while (offset < content.length) {
    const space = content.indexOf(32, offset);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + hashBytes > content.length) break;
    const mode = content.toString("latin1", offset, space);
    const name = content.toString("utf8", space + 1, nul);
    const oid = content.toString("hex", nul + 1, nul + 1 + hashBytes);
    entries.set(name, { kind: kindOf(mode), oid });
    offset = nul + 1 + hashBytes;
  }
  return entries;
}

function kindOf(mode: string): TreeEntry["kind"] {
  if (mode === "40000" || mode === "040000") return "tree";
  if (mode === "120000") return "symlink";
  if (mode === "160000") return "submodule";
  return "blob";
}
