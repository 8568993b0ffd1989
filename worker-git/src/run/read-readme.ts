// The README shown on the package page: the first of the usual names at the default branch's
// commit. Best effort: it never fails the job that publishes the versions.
import type { RepositoryDriver } from "../drivers/driver.ts";

const README_NAMES = ["README.md", "readme.md", "README.markdown", "README"];
/** The edge refuses more; a longer README is cut rather than dropped. */
export const README_MAX_CHARS = 256 * 1024;

/** The README's text (a mono-repository package's in its directory), null when there is none, undefined when it could not be read (keep the stored one). */
export async function readReadme(driver: RepositoryDriver, commit: string, directory?: string): Promise<string | null | undefined> {
  try {
    for (const name of README_NAMES) {
      const file = (await driver.readFile([commit], directory === undefined ? name : `${directory}/${name}`)).get(commit);
      if (file?.kind === "file") return file.content.slice(0, README_MAX_CHARS);
    }
    return null;
  } catch {
    return undefined;
  }
}
