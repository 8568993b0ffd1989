// Claiming a given package's job as the git worker would, in storage shared with other suites:
// jobs of other packages claimed on the way are finished as done.
import type { Client } from "./client.ts";
import { bearer, json, packageZip, TEST_CONFIG } from "./harness.ts";

export function workerCall(client: Client, path: string, body: unknown): Promise<Response> {
  return client.request(`/api/worker${path}`, { method: "POST", headers: bearer(TEST_CONFIG.workerToken), body: JSON.stringify(body) });
}

/** Claims until the claimed job is `packageId`'s (or has that id); returns its id. */
export async function claimJobOf(client: Client, packageOrJob: number | string, workerId: string): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const response = await workerCall(client, "/jobs/claim", { workerId });
    if (response.status !== 200) throw new Error(`no job of ${packageOrJob} to claim (${response.status})`);
    const claimed = await json<{ id: string; packageId: number | null }>(response);
    if (claimed.packageId === packageOrJob || claimed.id === packageOrJob) return claimed.id;
    await workerCall(client, `/jobs/${claimed.id}/finish`, { workerId, status: "done", result: {} });
  }
  throw new Error("too many jobs in the queue");
}

/** A random 40-hex commit id. */
export function randomReference(): string {
  return [...crypto.getRandomValues(new Uint8Array(20))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Uploads a zipball for `reference` as the git worker does before it publishes. */
export async function uploadWorkerDist(client: Client, name: string, reference: string): Promise<void> {
  const zip = packageZip({ name }, { wrapIn: `${name.replace("/", "-")}-${reference.slice(0, 7)}` });
  const uploaded = await client.request(`/api/worker/dist/${name}/${reference}`, { method: "PUT", headers: { ...bearer(TEST_CONFIG.workerToken), "content-type": "application/zip" }, body: zip });
  if (uploaded.status !== 201) throw new Error(`dist upload: ${uploaded.status} ${await uploaded.text()}`);
}

/**
 * Publishes `versions` of `name` for a claimed job, as the git worker does (zipballs first);
 * `extra` goes into the publish body (a mono-repository's `repository` and `more`).
 */
export async function publishVersions(client: Client, jobId: string, workerId: string, name: string, versions: string[], extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const entries = [];
  for (const version of versions) {
    const reference = randomReference();
    await uploadWorkerDist(client, name, reference);
    entries.push({ name, version, version_normalized: `${version}.0`, type: "library", time: new Date().toISOString(), dist: { type: "zip", url: "", reference, shasum: "" } });
  }
  return publishEntries(client, jobId, workerId, name, entries, extra);
}

/** Publishes prepared entries (their zipballs already uploaded) for a claimed job; `extra`: more of the body (`readme`, a mono-repository's `repository` and `more`). */
export async function publishEntries(client: Client, jobId: string, workerId: string, name: string, entries: unknown[], extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await workerCall(client, `/jobs/${jobId}/publish`, { workerId, name, versions: entries, ...extra });
  if (response.status !== 200) throw new Error(`publish: ${response.status} ${await response.text()}`);
  return json(response);
}
