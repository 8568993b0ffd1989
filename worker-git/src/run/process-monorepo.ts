// A mono-repository's create job (Packeton's "mono-repo" kind): every directory matching one of
// the package's globs that has a composer.json on the default branch is a package. Each gets its
// versions from all the repository's tags and branches, zipballs of its directory alone, no
// `source`, and its own stored repository (`#vcs=git&subdir=<dir>`), so that one webhook on the
// repository updates every one of them. All are read before any is published: a bad repository
// (no match, two directories naming one package) publishes nothing.
import { redactUrl } from "../../../src/http/redact.ts";
import { encodeVcsRepository, type VcsRepository } from "../../../src/packages/vcs-repository.ts";
import type { RepositoryDriver } from "../drivers/driver.ts";
import type { ClaimedJob } from "./edge-client.ts";
import { JobFailure, publishPackage, readPackage, type JobDeps, type ReadPackage } from "./publish-package.ts";

export async function publishMonorepo(
  job: ClaimedJob,
  deps: JobDeps,
  driver: RepositoryDriver,
  repository: VcsRepository & { monorepo: string[] },
): Promise<Record<string, unknown>> {
  const defaultBranch = await driver.defaultBranch();
  const root = (await driver.branches()).find((branch) => branch.name === defaultBranch);
  if (!root || !driver.listFiles) throw new JobFailure(`A mono-repository needs a git repository with a default branch (${defaultBranch} was not found).`);
  const directories = matchingDirectories(await driver.listFiles(root.commit), repository.monorepo);
  if (directories.length === 0) {
    throw new JobFailure(`The mono-repository paths ${repository.monorepo.join(", ")} match no directory with a composer.json on ${defaultBranch}.`);
  }
  const label = redactUrl(repository.url);
  const packages: ReadPackage[] = [];
  const byName = new Map<string, string>();
  for (const subdirectory of directories) {
    const read = await readPackage(driver, { previous: [], subdirectory, packageName: null, label });
    const other = byName.get(read.name);
    if (other !== undefined) throw new JobFailure(`Two directories name the package ${read.name}: ${other} and ${subdirectory}.`);
    byName.set(read.name, subdirectory);
    packages.push(read);
  }
  let summary: Record<string, unknown> = {};
  for (const [index, read] of packages.entries()) {
    const own = encodeVcsRepository({ url: repository.url, type: "git", subdir: read.subdirectory });
    summary = await publishPackage(deps, job, driver, read, new Map(), { repository: own, more: index < packages.length - 1 });
  }
  return summary;
}

/** The directories (sorted) holding a composer.json whose path matches a glob (`*` and `?` within one segment). */
export function matchingDirectories(files: readonly string[], globs: readonly string[]): string[] {
  const patterns = globs.map((glob) => new RegExp(`^${glob.replace(/\/+$/, "").split("").map(globChar).join("")}$`));
  const directories = files.filter((file) => file.endsWith("/composer.json")).map((file) => file.slice(0, -"/composer.json".length));
  return [...new Set(directories.filter((directory) => patterns.some((pattern) => pattern.test(directory))))].sort();
}

function globChar(char: string): string {
  if (char === "*") return "[^/]*";
  if (char === "?") return "[^/]";
  return char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}
