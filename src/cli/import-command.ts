// `satchel import list|satis <file> --into <satchel-url>`: asks Satchel to add each repository
// (POST /api/create-package), then waits for the git worker to read them, printing progress
// and a final report. Idempotent and resumable: a repository Satchel already has, or is
// already adding, counts as done; a run stopped by an unreachable Satchel is simply run again.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ImportSourceError, parseList, parseSatis, type ImportPlan } from "./import-sources.ts";

type Env = Record<string, string | undefined>;

interface Outcome {
  repository: string;
  state: "added" | "already there" | "failed" | "still running";
  detail?: string;
}

const SOURCES: Record<string, (text: string) => ImportPlan> = { list: parseList, satis: parseSatis };

export async function importCommand(argv: string[], env: Env, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { into: { type: "string" }, token: { type: "string" }, wait: { type: "string" } } });
  const [source, file] = positionals;
  const parse = source ? SOURCES[source] : undefined;
  if (!parse || !file || positionals.length !== 2) throw new Error("usage: satchel import list|satis <file> --into <satchel-url> (packeton is not supported yet)");
  const url = (values.into ?? env.SATCHEL_URL ?? "").replace(/\/+$/, "");
  const token = values.token ?? env.SATCHEL_TOKEN ?? "";
  if (!/^https?:\/\//.test(url) || !token) throw new Error("give --into <satchel-url> (or SATCHEL_URL) and an admin token in SATCHEL_TOKEN");
  const waitMs = Number(values.wait ?? 600) * 1000;

  let plan: ImportPlan;
  try {
    plan = parse(await readFile(file, "utf8"));
  } catch (error) {
    if (error instanceof ImportSourceError) {
      out(`satchel import: nothing imported: ${error.message}`);
      return 2;
    }
    throw error;
  }
  for (const note of plan.notes) out(`note: ${note}`);

  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const outcomes: Outcome[] = [];
  const jobs = new Map<string, string>();
  for (const [i, repository] of plan.repositories.entries()) {
    let response: Response;
    try {
      response = await fetch(`${url}/api/create-package`, { method: "POST", headers, body: JSON.stringify({ repository }) });
    } catch (error) {
      out(`satchel import: stopped at ${repository} (${i + 1}/${plan.repositories.length}): Satchel is unreachable (${error instanceof Error ? error.message : String(error)}). Run the same command again to resume.`);
      return 1;
    }
    const body = (await response.json().catch(() => ({}))) as { job?: string; error?: { code?: string; message?: string } };
    if (response.status === 202 && body.job) {
      jobs.set(repository, body.job);
      out(`[${i + 1}/${plan.repositories.length}] queued ${repository}`);
    } else if (response.status === 409 && body.error?.code === "duplicate_repository") {
      outcomes.push({ repository, state: "already there", detail: body.error.message });
      out(`[${i + 1}/${plan.repositories.length}] already there: ${repository}`);
    } else if (response.status === 401 || response.status === 403 || response.status >= 500) {
      out(`satchel import: stopped at ${repository}: ${response.status} ${body.error?.message ?? ""}. Run the same command again to resume.`);
      return 1;
    } else {
      outcomes.push({ repository, state: "failed", detail: body.error?.message ?? `HTTP ${response.status}` });
      out(`[${i + 1}/${plan.repositories.length}] refused ${repository}: ${body.error?.message ?? response.status}`);
    }
  }

  const deadline = Date.now() + waitMs;
  for (const [repository, job] of jobs) {
    for (;;) {
      const response = await fetch(`${url}/api/jobs/${job}`, { headers }).catch(() => null);
      const view = response?.ok ? ((await response.json()) as { status: string; result?: { error?: string; package?: string } }) : null;
      if (view?.status === "done" || view?.status === "failed") {
        outcomes.push({ repository, state: view.status === "done" ? "added" : "failed", detail: view.status === "done" ? view.result?.package : view.result?.error });
        out(`${view.status === "done" ? "added" : "failed"}: ${repository}${view.result?.error ? ` (${view.result.error})` : ""}`);
        break;
      }
      if (Date.now() >= deadline) {
        outcomes.push({ repository, state: "still running", detail: `job ${job}` });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  const count = (state: Outcome["state"]) => outcomes.filter((outcome) => outcome.state === state).length;
  out(`import finished: ${count("added")} added, ${count("already there")} already there, ${count("failed")} failed, ${count("still running")} still running`);
  for (const outcome of outcomes.filter((entry) => entry.state === "failed" || entry.state === "still running")) out(`  ${outcome.state}: ${outcome.repository}: ${outcome.detail ?? ""}`);
  return count("failed") > 0 ? 1 : 0;
}
