// A mono-repository's create job (Packeton's "mono-repo" kind): every directory matching one of
// the package's globs that has a composer.json on the default branch is a package. Each gets its
// versions from all the repository's tags and branches, zipballs of its directory alone, no
// `source`, and its own stored repository (the globs and `subdir=<dir>`), so that one webhook on
// the repository updates every one of them, and each update notices directories that appeared
// on the default branch since the last one and makes packages of them. All are read before any
// is published: a bad repository (no match, two directories naming one package) publishes nothing.
import { redactUrl } from "../../../src/http/redact.ts";
import { encodeVcsRepository, type VcsRepository } from "../../../src/packages/vcs-repository.ts";
import type { RepositoryDriver } from "../drivers/driver.ts";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
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
    summary = await publishPackage(deps, job, driver, read, new Map(), { repository: packageRepository(repository, read), more: index < packages.length - 1 });
  }
  return summary;
}

/**
 * In an update of one package of a mono-repository: the packages of directories that match its
 * globs on the default branch now and did not at the commit last published (`more`: the job's
 * own package is published after them). A directory without a valid version is left for later.
 */
export async function publishNewDirectories(
  job: ClaimedJob,
  deps: JobDeps,
  driver: RepositoryDriver,
  repository: VcsRepository & { monorepo: string[] },
  published: VersionEntry[],
): Promise<void> {
  const before = published.find((entry) => entry["default-branch"] === true)?.dist?.reference;
  const defaultBranch = await driver.defaultBranch();
  const now = (await driver.branches()).find((branch) => branch.name === defaultBranch)?.commit;
  if (!before || !now || before === now || !driver.listFiles) return;
  const listFiles = driver.listFiles.bind(driver);
  const known = new Set(matchingDirectories(await listFiles(before).catch(() => []), repository.monorepo));
  const added = matchingDirectories(await listFiles(now), repository.monorepo).filter((directory) => !known.has(directory));
  for (const subdirectory of added) {
    const read = await readPackage(driver, { previous: [], subdirectory, packageName: null, label: redactUrl(repository.url) }).catch((error: unknown) => {
      deps.log(`new directory ${subdirectory} left for later: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
    if (read) await publishPackage(deps, job, driver, read, new Map(), { repository: packageRepository(repository, read), more: true });
  }
}

/** The stored repository of a mono-repository's package: the URL, the globs and its directory. */
function packageRepository(repository: VcsRepository & { monorepo: string[] }, read: ReadPackage): string {
  return encodeVcsRepository({ url: repository.url, type: "git", monorepo: repository.monorepo, subdir: read.subdirectory });
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
