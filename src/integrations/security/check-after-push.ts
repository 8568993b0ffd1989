// After a push hook: a security check of each pushed package flagged `application` (whatever
// branch was pushed: the check reads the default branch, and costs a few requests), run after
// the response.
import { runInBackground, type AppContext } from "../../http/context.ts";
import type { HookedPackage } from "../../webhooks/incoming/find-packages.ts";
import { queueSecurityCheck } from "./queue-check.ts";

export async function checkAfterPush(c: AppContext, pushed: HookedPackage[]): Promise<string[]> {
  const ids: string[] = [];
  for (const pkg of pushed.filter((candidate) => candidate.application)) {
    const job = await queueSecurityCheck(c.get("services"), pkg, "push");
    runInBackground(c, job.run);
    ids.push(job.id);
  }
  return ids;
}
