// What every `satchel import` does against the target Satchel, over its REST API: add VCS
// repositories (POST /api/create-package) and wait for the git worker to read them. A failure
// that another run can get past (Satchel unreachable, refused token, 5xx) throws ImportStopped;
// everything already created is recognized on the next run, so it resumes where it stopped.

export interface Outcome {
  item: string;
  state: "added" | "already there" | "failed" | "still running";
  detail?: string;
}

/** The import stops here; the message says why, and running the same command again resumes. */
export class ImportStopped extends Error {}

export interface SatchelClient {
  url: string;
  /** A JSON request; the answer's status and parsed body (`{}` when the body is not JSON). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** A raw upload (a zip). */
  upload(path: string, bytes: Uint8Array): Promise<{ status: number; body: Record<string, unknown> }>;
}

export function satchelClient(url: string, token: string): SatchelClient {
  const authorization = `Bearer ${token}`;
  const send = async (method: string, path: string, init: RequestInit) => {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, { ...init, method });
    } catch (error) {
      throw new ImportStopped(`Satchel is unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 401 || response.status === 403 || response.status >= 500) {
      throw new ImportStopped(`Satchel answered ${response.status} to ${method} ${path}: ${errorMessage(body) ?? ""}`);
    }
    return { status: response.status, body };
  };
  return {
    url,
    call: (method, path, body) =>
      send(method, path, { headers: { authorization, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    upload: (path, bytes) => send("PUT", path, { headers: { authorization, "content-type": "application/zip" }, body: bytes }),
  };
}

export function errorMessage(body: Record<string, unknown>): string | undefined {
  const error = body.error as { message?: unknown } | undefined;
  return typeof error?.message === "string" ? error.message : undefined;
}

/** Adds each repository and waits (until `deadline`) for the git worker to read it. */
export async function addRepositories(client: SatchelClient, repositories: string[], deadline: number, out: (line: string) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const jobs = new Map<string, string>();
  for (const [i, repository] of repositories.entries()) {
    const step = `[${i + 1}/${repositories.length}]`;
    const { status, body } = await client.call("POST", "/api/create-package", { repository }).catch((error: unknown) => {
      throw error instanceof ImportStopped ? new ImportStopped(`stopped at ${repository} ${step}: ${error.message}`) : error;
    });
    const error = body.error as { code?: string } | undefined;
    if (status === 202 && typeof body.job === "string") {
      jobs.set(repository, body.job);
      out(`${step} queued ${repository}`);
    } else if (status === 409 && error?.code === "duplicate_repository") {
      outcomes.push({ item: repository, state: "already there", detail: errorMessage(body) });
      out(`${step} already there: ${repository}`);
    } else {
      outcomes.push({ item: repository, state: "failed", detail: errorMessage(body) ?? `HTTP ${status}` });
      out(`${step} refused ${repository}: ${errorMessage(body) ?? status}`);
    }
  }
  for (const [repository, job] of jobs) outcomes.push(await waitForJob(client, repository, job, deadline, out));
  return outcomes;
}

async function waitForJob(client: SatchelClient, repository: string, job: string, deadline: number, out: (line: string) => void): Promise<Outcome> {
  for (;;) {
    const { status, body } = await client.call("GET", `/api/jobs/${job}`).catch(() => ({ status: 0, body: {} as Record<string, unknown> }));
    const result = body.result as { error?: string; package?: string } | undefined;
    if (status === 200 && (body.status === "done" || body.status === "failed")) {
      const done = body.status === "done";
      out(`${done ? "added" : "failed"}: ${repository}${result?.error ? ` (${result.error})` : ""}`);
      return { item: repository, state: done ? "added" : "failed", detail: done ? result?.package : result?.error };
    }
    if (Date.now() >= deadline) return { item: repository, state: "still running", detail: `job ${job}` };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** The final report; the exit code is 1 when anything failed. */
export function report(outcomes: Outcome[], out: (line: string) => void): number {
  const count = (state: Outcome["state"]) => outcomes.filter((outcome) => outcome.state === state).length;
  out(`import finished: ${count("added")} added, ${count("already there")} already there, ${count("failed")} failed, ${count("still running")} still running`);
  for (const outcome of outcomes.filter((entry) => entry.state === "failed" || entry.state === "still running")) out(`  ${outcome.state}: ${outcome.item}: ${outcome.detail ?? ""}`);
  return count("failed") > 0 ? 1 : 0;
}
