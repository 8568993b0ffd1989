// A "build-zipball" job: a Composer request waits at the edge for the zipball of a published
// version whose archive was deferred (eager-zipballs.ts). Each reference is the commit to
// archive, with the exclusions its own composer.json asks for, as a publish would have built it.
// A commit the repository no longer has is reported as missing (the request gets a 404); any
// other failure fails the job (the request gets 503 and Composer retries).
import type { RepositoryDriver } from "../drivers/driver.ts";
import { archiveExcludes } from "../scan/load-version.ts";
import { zipballPrefix } from "./build-zipballs.ts";
import type { EdgeClient, JobContext } from "./edge-client.ts";
import { JobFailure } from "./publish-package.ts";

export async function buildOnDemand(
  edge: EdgeClient,
  driver: RepositoryDriver,
  jobId: string,
  context: JobContext & { references: string[] },
  subdirectory?: string,
): Promise<Record<string, unknown>> {
  const name = context.packageName;
  if (!name) throw new JobFailure("The package of this zipball build is gone.");
  const built: string[] = [];
  const missing: string[] = [];
  const dates = await driver.commitDates(context.references);
  for (const reference of context.references) {
    if (!dates.has(reference)) {
      missing.push(reference);
      continue;
    }
    const composerJson = (await driver.readFile([reference], subdirectory === undefined ? "composer.json" : `${subdirectory}/composer.json`)).get(reference);
    const archive = await driver.archive(reference, zipballPrefix(name, reference), excludesOf(composerJson?.kind === "file" ? composerJson.content : "{}"), subdirectory);
    await edge.uploadDist(name, reference, archive);
    built.push(reference);
  }
  const result = { built, missing };
  await edge.finish(jobId, result);
  return result;
}

function excludesOf(composerJson: string): string[] {
  try {
    return archiveExcludes((JSON.parse(composerJson) as { archive?: unknown }).archive);
  } catch {
    return [];
  }
}
