// `npm run serve` (Bun), `npm run serve:node` and `npm run serve:deno` on two processes: both
// answer, a write in one (a revoked token, a new release) is seen by the other at once, long
// before SATCHEL_CACHE_TTL_MS, the login limit and the bad-credentials limit count failures in
// both together, the git worker runs once, and Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops
// everything and writes every process's batched counters.
import { createClient } from "@libsql/client";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PER_ACCOUNT_LIMIT } from "../../src/auth/login-throttle.ts";
import { REFUSAL_LIMIT } from "../../src/http/rate-limit.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { childPids, PinnedConnection } from "../support/pinned-connection.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

const NAME = "acme/clustered";
// Far longer than the test: only the write announcement can make the other process see a change.
const TTL_MS = 60_000;

function isGitWorker(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("satchel-git.js");
  } catch {
    return false;
  }
}

for (const runtime of ["node", "bun", "deno"] as const) {
  describe.skipIf(process.platform !== "linux")(`${runtime}: npm run serve with SATCHEL_WORKERS=2`, () => {
    let satchel: SatchelProcess;
    let admin: string;
    /** One pinned connection per server process. */
    const byProcess = new Map<number, PinnedConnection>();
    const spare: PinnedConnection[] = [];

    const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (response.status === 204 ? undefined : await response.json()) as T;
    };
    const statusesFor = async (token: string) =>
      Promise.all([...byProcess.values()].map(async (connection) => (await connection.request("GET", `/p2/${NAME}.json`, { Authorization: `Bearer ${token}` })).status));

    beforeAll(async () => {
      // Counters are flushed only on shutdown here, so the test sees the shutdown flush itself.
      satchel = await startSatchel(runtime, { SATCHEL_WORKERS: "2", SATCHEL_CACHE_TTL_MS: String(TTL_MS), SATCHEL_STATS_FLUSH_MS: "3600000" }, { processGroup: true });
      admin = await satchel.adminToken();
      const upload = await fetch(`${satchel.url}/api/packages/upload/${NAME}/1.0.0`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" }, body: packageZip({ name: NAME }) });
      expect(upload.status).toBe(201);
      const port = Number(new URL(satchel.url).port);
      // The kernel spreads connections over the processes (SO_REUSEPORT): open until both hold one
      // (the second may still be starting on a loaded machine: look for it on each try, up to 20 s).
      for (const deadline = Date.now() + 20_000; byProcess.size < 2 && Date.now() < deadline; ) {
        const connection = await PinnedConnection.open(port);
        expect((await connection.request("GET", "/healthz")).status).toBe(200);
        const pid = connection.serverPid(childPids(satchel.pid).filter((child) => !isGitWorker(child)));
        if (pid !== undefined && !byProcess.has(pid)) byProcess.set(pid, connection);
        else {
          spare.push(connection);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }, 180_000);

    afterAll(async () => {
      for (const connection of [...byProcess.values(), ...spare]) connection.close();
      await satchel?.stop();
    });

    it("answers on two server processes", () => {
      expect(byProcess.size).toBe(2);
      expect([...byProcess.keys()]).not.toContain(satchel.pid);
    });

    it("runs one git worker beside the two server processes", () => {
      const children = childPids(satchel.pid);
      expect(children.filter(isGitWorker)).toHaveLength(1);
      expect(children).toHaveLength(3);
    });

    it("counts wrong passwords in every process against one login limit", async () => {
      const connections = [...byProcess.values()];
      const statuses: number[] = [];
      for (let i = 0; i < PER_ACCOUNT_LIMIT + 4; i++) {
        const connection = connections[i % connections.length]!;
        const body = JSON.stringify({ username: "cluster-ghost", password: `wrong-${i}` });
        statuses.push((await connection.request("POST", "/api/auth/token", { "Content-Type": "application/json" }, body)).status);
      }
      expect(statuses.filter((status) => status === 401)).toHaveLength(PER_ACCOUNT_LIMIT);
      expect(statuses.slice(PER_ACCOUNT_LIMIT)).toEqual([429, 429, 429, 429]);
    });

    it("refuses a revoked token in every process at once, not after the cache TTL", async () => {
      const issued = await api<{ id: number; token: string }>("POST", "/api/tokens", { name: "revoke-me" });
      // Every process has verified and cached it.
      expect(await statusesFor(issued.token)).toEqual([200, 200]);
      expect(await statusesFor(issued.token)).toEqual([200, 200]);
      const [first] = byProcess.values();
      expect((await first!.request("DELETE", `/api/tokens/${issued.id}`, { Authorization: `Bearer ${admin}` })).status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await statusesFor(issued.token)).toEqual([401, 401]);
    });

    it("lists a release uploaded through one process in the other's p2 at once", async () => {
      const [first, second] = [...byProcess.values()];
      await second!.request("GET", `/p2/${NAME}.json`, { Authorization: `Bearer ${admin}` });
      const zip = Buffer.from(packageZip({ name: NAME })).toString("latin1");
      const upload = await first!.request("PUT", `/api/packages/upload/${NAME}/1.1.0`, { Authorization: `Bearer ${admin}`, "Content-Type": "application/zip" }, zip, "latin1");
      expect(upload.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const p2 = await second!.request("GET", `/p2/${NAME}.json`, { Authorization: `Bearer ${admin}` });
      expect(JSON.parse(p2.body).packages[NAME].map((entry: { version: string }) => entry.version)).toEqual(["1.1.0", "1.0.0"]);
    });

    it("limits bad credentials from one address once for both processes together, valid tokens untouched", async () => {
      const connections = [...byProcess.values()];
      const refused = async (connection: PinnedConnection) => (await connection.request("GET", `/p2/${NAME}.json`, { Authorization: "Bearer satchel_never-issued-cluster-token" })).status;
      // Two thirds of the limit through each process: neither reaches it alone, together they pass it.
      for (let i = 0; i < Math.ceil((REFUSAL_LIMIT * 2) / 3); i++) for (const connection of connections) expect([401, 429]).toContain(await refused(connection));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await Promise.all(connections.map(refused))).toEqual([429, 429]);
      expect(await statusesFor(admin)).toEqual([200, 200]);
    });

    it("writes every process's batched counters when stopped", async () => {
      // One token used only through each process, and one download recorded by each.
      const tokens = new Map<number, { id: number; token: string }>();
      for (const [pid, connection] of byProcess) {
        const issued = await api<{ id: number; token: string }>("POST", "/api/tokens", { name: `used-by-${pid}` });
        tokens.set(pid, issued);
        expect((await connection.request("GET", `/p2/${NAME}.json`, { Authorization: `Bearer ${issued.token}` })).status).toBe(200);
        const notify = await connection.request("POST", "/downloads/", { Authorization: `Bearer ${issued.token}`, "Content-Type": "application/json" }, JSON.stringify({ downloads: [{ name: NAME, version: "1.0.0.0" }] }));
        expect(notify.status).toBe(201);
      }
      for (const connection of [...byProcess.values(), ...spare]) connection.close();
      byProcess.clear();
      spare.length = 0;
      // Ctrl-C: every process of the group gets SIGINT at once.
      expect(await satchel.stopGroup("SIGINT")).toBe(0);
      expect(childPids(satchel.pid)).toEqual([]);

      const db = createClient({ url: `file:${path.join(satchel.dataDir, "satchel.db")}` });
      try {
        for (const { id } of tokens.values()) {
          const row = await db.execute({ sql: "select last_used_at from tokens where id = ?", args: [id] });
          expect(row.rows[0]?.last_used_at, `token ${id}`).not.toBeNull();
        }
        const downloads = await db.execute({ sql: "select sum(d.count) as total from downloads d join packages p on p.id = d.package_id where p.name = ?", args: [NAME] });
        // One per process: the once-per-address-per-day dedup is per process (src/node-cluster.ts).
        expect(Number(downloads.rows[0]?.total)).toBe(2);
      } finally {
        db.close();
      }
    });
  });

  describe.skipIf(process.platform !== "linux")(`${runtime}: npm run serve with SATCHEL_WORKERS=2 and no admin yet`, () => {
    let satchel: SatchelProcess;

    beforeAll(async () => {
      satchel = await startSatchel(runtime, { SATCHEL_WORKERS: "2", ADMIN_USER: "", ADMIN_PASSWORD: "" });
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop();
    });

    it("prints one setup link, and that link opens the setup page in every process", async () => {
      const links = [...satchel.output().matchAll(/\/setup\?token=([0-9a-f]+)/g)].map((match) => match[1]);
      expect(links).toHaveLength(1);
      const port = Number(new URL(satchel.url).port);
      const pids = new Set<number>();
      // The second server process may still be starting on a loaded machine (healthz answered from
      // the first): look for it again on each try, for up to 20 s.
      for (const deadline = Date.now() + 20_000; pids.size < 2 && Date.now() < deadline; ) {
        const connection = await PinnedConnection.open(port);
        try {
          const page = await connection.request("GET", `/setup?token=${links[0]}`);
          expect(page.status).toBe(200);
          const pid = connection.serverPid(childPids(satchel.pid));
          if (pid !== undefined && !pids.has(pid)) pids.add(pid);
          else await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
          connection.close();
        }
      }
      expect(pids.size).toBe(2);
    });
  });
}
