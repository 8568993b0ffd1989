// A bare git repository with 150 tags (3 majors x 5 minors x 10 patches) and a main branch: well
// over what the worker builds eagerly, so most of its zipballs are built on first request.
import path from "node:path";
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
