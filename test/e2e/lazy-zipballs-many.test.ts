// A client that fetches many old zipballs of a large repository (a mirror tool walking p2, or
// Composer installing many versions a few at a time) gets every one of them, through the real git
// worker: each old archive is built on its first request, and none of those requests gets a 503
// while the worker is alive.
import path from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { importLargeRepository, makeLargeRepository, type P2Version } from "../support/large-repository.ts";
import { type GitServer } from "../support/git-servers.ts";
import { withGitSatchel } from "../support/git-satchel.ts";
import { type SatchelProcess } from "../support/satchel-process.ts";

describe("node: every old zipball of a large repository, fetched one after another and 8 at a time", () => {
  let satchel: SatchelProcess;
  let daemon: GitServer;
  let admin: string;
  const headers = () => ({ authorization: `Bearer ${admin}`, "content-type": "application/json" });

  withGitSatchel("node", { prefix: "satchel-many-root-", prepare: (root) => { makeLargeRepository(path.join(root, "large.git")); } }, (running) => ({ daemon, satchel, admin } = running));

  /** GET one zipball: its status, and whether it unpacks with a composer.json. */
  async function fetchZipball(version: P2Version): Promise<string> {
    const response = await fetch(version.dist.url, { headers: headers() });
    if (response.status !== 200) return `${version.version}: ${response.status} ${await response.text()}`;
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    return Object.keys(files).some((file) => file.endsWith("/composer.json")) ? "ok" : `${version.version}: not whole`;
  }

  it("answers 200 for each of them", async () => {
    const versions = await importLargeRepository(satchel, admin, daemon.url("large.git"));
    // Newest first, as p2 lists them and as a client walking it fetches them.
    const deferred = versions.filter((version) => version.dist.shasum === "");
    expect(deferred.length).toBeGreaterThan(140);

    const half = Math.floor(deferred.length / 2);
    const outcomes: string[] = [];
    for (const version of deferred.slice(0, half)) outcomes.push(await fetchZipball(version));
    const queue = deferred.slice(half);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let version = queue.shift(); version; version = queue.shift()) outcomes.push(await fetchZipball(version));
      }),
    );
    expect(outcomes.filter((outcome) => outcome !== "ok"), satchel.output().slice(-4000)).toEqual([]);
    expect(outcomes).toHaveLength(deferred.length);
  }, 600_000);
});
