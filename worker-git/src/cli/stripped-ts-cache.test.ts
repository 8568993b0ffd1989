// The CLI's stripped-TypeScript cache on a cold cache: a module it has never seen is stripped
// (not only served from the cache), so a changed source file still loads.
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const cacheModule = pathToFileURL(path.resolve(import.meta.dirname, "../../bin/stripped-ts-cache.js")).href;

describe("stripped-TypeScript cache", () => {
  it("strips and runs a TypeScript module it has not cached yet", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "satchel-strip-"));
    const source = path.join(dir, `fresh-${crypto.randomUUID()}.ts`);
    await writeFile(source, "const answer: number = 42;\nconsole.log(`answer ${answer}`);\n");
    const script = `import { installStrippedTsCache } from ${JSON.stringify(cacheModule)}; installStrippedTsCache(); await import(${JSON.stringify(pathToFileURL(source).href)});`;
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, XDG_CACHE_HOME: path.join(dir, "cache") }, encoding: "utf8" });
    expect(output.trim()).toBe("answer 42");
  });
});
