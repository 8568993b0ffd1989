// A git host that accepts connections and never answers must not stop other packages: the
// worker runs more than one job at a time (SATCHEL_GIT_CONCURRENCY), so a package on a healthy
// `git daemon` updates within seconds while the hung job waits, and the hung job fails once its
// host has been silent for SATCHEL_GIT_ANSWER_TIMEOUT_SECONDS instead of the whole fetch timeout.
import { mkdtemp } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

interface Job {
  status: string;
  result?: { error?: string; added?: string[] };
}

const ANSWER_TIMEOUT_SECONDS = 8;

/** A TCP server on 127.0.0.1 that accepts every connection and never sends a byte. */
async function startSilentHost(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("no port");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("a git host that never answers", () => {
  let satchel: SatchelProcess;
  let admin: string;
  let root: string;
  let daemon: GitServer;
  let silent: Awaited<ReturnType<typeof startSilentHost>>;
  const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${satchel.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const waitFor = async (jobId: string, done: (job: Job) => boolean, withinMs: number): Promise<Job> => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const job = await api<Job>("GET", `/api/jobs/${jobId}`);
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${withinMs} ms\n${satchel.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const settled = (job: Job) => job.status === "done" || job.status === "failed";

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "satchel-slow-host-"));
    daemon = await startGitDaemon(root);
    silent = await startSilentHost();
    satchel = await startSatchel("node", { SATCHEL_GIT_CONCURRENCY: "2", SATCHEL_GIT_ANSWER_TIMEOUT_SECONDS: String(ANSWER_TIMEOUT_SECONDS) });
    admin = await satchel.adminToken();
  }, 120_000);

  afterAll(async () => {
    await satchel?.stop();
    await daemon?.stop();
    await silent?.close();
  });

  it("holds one job slot only: another package updates within seconds, and the hung job fails after the answer timeout", async () => {
    const repo = await createRepository(root, "healthy.git");
    await repo.release({ name: "acme/healthy" }, "v1.0.0");
    const url = daemon.url("healthy.git");
    const created = await api<{ job: string }>("POST", "/api/create-package", { repository: url });
    expect((await waitFor(created.job, settled, 60_000)).status).toBe("done");

    const hung = await api<{ job: string }>("POST", "/api/create-package", { repository: `git://127.0.0.1:${silent.port}/hung.git` });
    await waitFor(hung.job, (job) => job.status === "running", 30_000);
    const startedAt = Date.now();

    await repo.release({ name: "acme/healthy" }, "v1.1.0", { "CHANGELOG.md": "1.1.0\n" });
    const { jobs } = await api<{ jobs: string[] }>("POST", "/api/update-package", { repository: { url } });
    const updated = await waitFor(jobs[0] as string, settled, 30_000);
    const updateMs = Date.now() - startedAt;
    expect(updated.status, JSON.stringify(updated)).toBe("done");
    expect(updated.result?.added).toContain("v1.1.0");
    // Updated while the hung job still held its slot.
    expect(updateMs).toBeLessThan(ANSWER_TIMEOUT_SECONDS * 1000);
    expect((await api<Job>("GET", `/api/jobs/${hung.job}`)).status).toBe("running");

    const failed = await waitFor(hung.job, settled, 30_000);
    expect(failed.status).toBe("failed");
    expect(failed.result?.error).toMatch(new RegExp(`did not answer within ${ANSWER_TIMEOUT_SECONDS} s`));
    expect(Date.now() - startedAt).toBeLessThan(ANSWER_TIMEOUT_SECONDS * 1000 + 15_000);
  });
});
