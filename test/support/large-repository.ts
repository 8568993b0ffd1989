// A bare git repository with 150 tags (3 majors x 5 minors x 10 patches) and a main branch: well
// over what the worker builds eagerly, so most of its zipballs are built on first request.
import path from "node:path";
import type { SatchelProcess } from "./satchel-process.ts";
import { composerJson, git, RepoBuilder } from "../../worker-git/src/testing/repo-builder.ts";

/** Writes the repository at `dir` (a path ending in .git); returns its tags, oldest first. */
export function makeLargeRepository(dir: string): string[] {
  git(path.dirname(dir), ["init", "-q", "--bare", "-b", "main", dir]);
  const builder = new RepoBuilder();
  const versions: string[] = [];
  let parent: number | null = null;
  for (let major = 1; major <= 3; major++) {
    for (let minor = 0; minor < 5; minor++) {
      for (let patch = 0; patch < 10; patch++) {
        const version = `${major}.${minor}.${patch}`;
        const files = {
          "composer.json": composerJson({ name: "acme/large", description: "Many tags", autoload: { "psr-4": { "Acme\\Large\\": "src/" } }, archive: { exclude: ["/docs"] } }),
          "src/Version.php": `<?php // ${version}\n`,
          "docs/internal.md": "not in the archive\n",
        };
        parent = builder.commit({ parent, files });
        builder.tag(`v${version}`, parent, { annotated: true });
        versions.push(`v${version}`);
      }
    }
  }
  builder.branch("main", parent as number);
  builder.write(dir, "main");
  return versions;
}

export interface P2Version {
  version: string;
  dist: { url: string; reference: string; shasum: string };
}

/** Adds the repository as a package, waits (90 s at most) for its import job, and returns acme/large's p2 versions. */
export async function importLargeRepository(satchel: SatchelProcess, admin: string, repository: string): Promise<P2Version[]> {
  const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
  const created = await fetch(`${satchel.url}/api/create-package`, { method: "POST", headers, body: JSON.stringify({ repository }) });
  const { job } = (await created.json()) as { job: string };
  const deadline = Date.now() + 90_000;
  let status = "queued";
  while (status !== "done" && status !== "failed" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = ((await (await fetch(`${satchel.url}/api/jobs/${job}`, { headers })).json()) as { status: string }).status;
  }
  if (status !== "done") throw new Error(`the import job is ${status}:\n${satchel.output()}`);
  const p2 = (await (await fetch(`${satchel.url}/p2/acme/large.json`, { headers })).json()) as { packages: Record<string, P2Version[]> };
  return p2.packages["acme/large"] ?? [];
}
