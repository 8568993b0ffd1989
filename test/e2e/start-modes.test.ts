// `npm start` serves the Worker on workerd itself (scripts/edge-local.ts: one workerd, no request
// proxy); `npm run dev` (`--watch`) runs it under wrangler dev, which rebuilds on code changes and
// holds requests across reloads in a second workerd (its ProxyWorker). Both keep the same data.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

/** The workerd processes among `pid`'s descendants. */
function workerdDescendants(pid: number): number {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The name is in parentheses and may hold spaces: the fields after it are space-separated.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
    } catch {
      // Ended while we looked.
    }
  }
  const descends = (candidate: number): boolean => {
    for (let at = parents.get(candidate); at !== undefined && at > 1; at = parents.get(at)) if (at === pid) return true;
    return false;
  };
  return [...names].filter(([candidate, name]) => name === "workerd" && descends(candidate)).length;
}

describe("workerd: npm start and npm run dev", () => {
  const started: SatchelProcess[] = [];
  afterAll(async () => {
    for (const satchel of started) await satchel.stop();
  });

  it("runs wrangler dev under --watch, then npm start on the same data with one workerd and no proxy", async () => {
    const dev = await startSatchel("workerd", {}, { args: ["--watch"] });
    started.push(dev);
    const token = await dev.adminToken();
    const uploaded = await fetch(`${dev.url}/api/packages/upload/acme/start-modes/1.0.0`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" },
      body: packageZip({ name: "acme/start-modes" }),
    });
    expect(uploaded.status).toBe(201);
    // wrangler dev: the Worker's workerd and its ProxyWorker's.
    expect(workerdDescendants(dev.pid)).toBe(2);
    await dev.stop();

    const start = await startSatchel("workerd", {}, { dataDir: dev.dataDir });
    started.push(start);
    expect(workerdDescendants(start.pid)).toBe(1);
    // The same D1 and R2 (and secrets): the token and the package made under wrangler dev.
    const p2 = await fetch(`${start.url}/p2/acme/start-modes.json`, { headers: { authorization: `Bearer ${token}` } });
    expect(p2.status).toBe(200);
    const document = (await p2.json()) as { packages: Record<string, { version: string; dist: { url: string } }[]> };
    const [version] = document.packages["acme/start-modes"] ?? [];
    expect(version?.version).toBe("1.0.0");
    const zipball = await fetch(version!.dist.url, { headers: { authorization: `Bearer ${token}` } });
    expect(zipball.status).toBe(200);
    expect(new Uint8Array(await zipball.arrayBuffer()).subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });
});
