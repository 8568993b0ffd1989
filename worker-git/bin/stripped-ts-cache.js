// Node strips TypeScript types on every start with a WebAssembly parser that costs more CPU than a
// whole warm `satchel-git scan`. This load hook keeps each stripped module, keyed by a hash of its
// source, in a private cache directory (mode 0700, ours alone), so the parser only runs for files
// that changed. Stripping replaces types with spaces: line and column numbers stay those of the
// source. Without a usable cache directory everything loads as before.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import os from "node:os";
import path from "node:path";

export function installStrippedTsCache() {
  // Node's module hooks only (Bun strips types natively and has no registerHooks).
  const { enableCompileCache, registerHooks, stripTypeScriptTypes } = nodeModule;
  if (typeof registerHooks !== "function" || typeof stripTypeScriptTypes !== "function") return;
  // The program's cache, not a repository's: the user's cache directory, never a shared temp dir.
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), ".cache") : "");
  if (!base) return;
  const root = path.join(base, "satchel-git", "stripped-ts");
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const stat = statSync(root);
    // A directory someone else owns or can write to could hand us code: use none.
    if ((typeof process.getuid === "function" && stat.uid !== process.getuid()) || (stat.mode & 0o022) !== 0) return;
  } catch {
    return;
  }
  enableCompileCache?.(path.join(root, "v8"));
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith("file:") || !url.endsWith(".ts") || url.includes("/node_modules/")) return nextLoad(url, context);
      const source = readFileSync(new URL(url), "utf8");
      const cached = path.join(root, `${createHash("sha256").update(source).digest("hex")}.js`);
      let js;
      try {
        js = readFileSync(cached, "utf8");
      } catch {
        js = strip(source);
        try {
          const temp = `${cached}.${process.pid}.tmp`;
          writeFileSync(temp, js, { mode: 0o600 });
          renameSync(temp, cached);
        } catch {
          // Read-only or full: strip again next time.
        }
      }
      return { format: "module", source: js, shortCircuit: true };
    },
  });
}

/** The same transform Node applies (strip mode), without its experimental-feature warning. */
function strip(source) {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return nodeModule.stripTypeScriptTypes(source, { mode: "strip" });
  } finally {
    process.emitWarning = emitWarning;
  }
}
