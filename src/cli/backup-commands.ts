// `satchel backup` and `satchel restore`: the archive streams between a file and the API,
// never whole in memory. A backup is written beside its target and renamed only once complete.
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parseArgs } from "node:util";

type Env = Record<string, string | undefined>;

const OPTIONS = { url: { type: "string" }, token: { type: "string" }, out: { type: "string" } } as const;

function connection(values: { url?: string; token?: string }, env: Env): { url: string; token: string } {
  const url = (values.url ?? env.SATCHEL_URL ?? "").replace(/\/+$/, "");
  const token = values.token ?? env.SATCHEL_TOKEN ?? "";
  if (!/^https?:\/\//.test(url)) throw new Error("give the Satchel URL with --url or SATCHEL_URL (http:// or https://)");
  if (!token) throw new Error("give an admin API token in SATCHEL_TOKEN (or --token)");
  return { url, token };
}

async function failure(response: Response, what: string): Promise<Error> {
  const text = await response.text();
  let message = text.slice(0, 500);
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // Not our JSON error body: show the start of it.
  }
  return new Error(`${what} failed: ${response.status} ${message}`);
}

export async function backupCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  const { url, token } = connection(values, env);
  if (!values.out) throw new Error("give the file to write with --out");
  const response = await fetch(`${url}/api/backup`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok || !response.body) throw await failure(response, "backup");
  const partial = `${values.out}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), createWriteStream(partial, { mode: 0o600 }));
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, values.out);
  process.stdout.write(`backup written to ${values.out} (${(await stat(values.out)).size} bytes)\n`);
  return 0;
}

export async function restoreCommand(argv: string[], env: Env): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const { url, token } = connection(values, env);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error("give exactly one archive file to restore");
  const size = (await stat(file)).size;
  const response = await fetch(`${url}/api/restore`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream", "content-length": String(size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
  if (!response.ok) throw await failure(response, "restore");
  process.stdout.write(`${await response.text()}\n`);
  return 0;
}
