// After a push hook: a security check when a pushed package is flagged `application` (whatever
// branch was pushed: the check reads the default branch, and costs a few requests), run after
// the response.
import { runInBackground, type AppContext } from "../../http/context.ts";
import type { HookedPackage } from "../../webhooks/incoming/find-packages.ts";
import { queueSecurityCheck } from "./queue-check.ts";

export async function checkAfterPush(c: AppContext, pushed: HookedPackage[]): Promise<string[]> {
  // Every candidate is the push's one repository (a mono-repository's packages share it): one check.
  const monitored = pushed.find((candidate) => candidate.application);
  if (!monitored) return [];
  const job = await queueSecurityCheck(c.get("services"), monitored, "push");
  runInBackground(c, job.run);
  return [job.id];
}
