// Runs wrk (--latency) against one URL and parses its report. A run with any non-2xx/3xx
// answer or socket error throws: a benchmark of 401s or refused connections is worthless.
import { spawn } from "node:child_process";

export interface WrkOptions {
  url: string;
  headers?: Record<string, string>;
  threads: number;
  connections: number;
  seconds: number;
  timeoutSeconds?: number;
  /** 4xx answers are what is measured (bad credentials, unknown names): do not reject them. */
  allowErrors?: boolean;
}

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  /** Milliseconds, from wrk's latency distribution. */
  p50: number;
  p75: number;
  p90: number;
  p99: number;
  timeouts: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`wrk: unreadable duration "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function parseWrk(output: string): WrkResult & { non2xx: number; socketErrors: number } {
  const percentile = (p: number) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(output);
    if (!match) throw new Error(`wrk: no ${p}% latency in output (was --latency passed?)\n${output}`);
    return durationMs(match[1]!);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s+(\d+) requests in/m.exec(output);
  if (!rps || !total) throw new Error(`wrk: unreadable output\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requests: Number(total[1]),
    requestsPerSecond: Number(rps[1]),
    p50: percentile(50),
    p75: percentile(75),
    p90: percentile(90),
    p99: percentile(99),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0,
    timeouts: socket ? Number(socket[4]) : 0,
  };
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const args = ["--latency", `-t${options.threads}`, `-c${options.connections}`, `-d${options.seconds}s`, `--timeout`, `${options.timeoutSeconds ?? 5}s`];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}: ${value}`);
  args.push(options.url);
  const output = await new Promise<string>((resolve, reject) => {
    let text = "";
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("error", (error) => reject(new Error(`wrk could not start (apt-get install -y wrk): ${error.message}`)));
    child.once("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`))));
  });
  const parsed = parseWrk(output);
  if (parsed.non2xx > 0 && !options.allowErrors) throw new Error(`wrk ${options.url}: ${parsed.non2xx} of ${parsed.requests} responses were not 2xx/3xx\n${output}`);
  if (parsed.socketErrors > 0) throw new Error(`wrk ${options.url}: ${parsed.socketErrors} socket errors\n${output}`);
  if (parsed.requests === 0) throw new Error(`wrk ${options.url}: no request completed\n${output}`);
  const { non2xx: _non2xx, socketErrors: _socketErrors, ...result } = parsed;
  return result;
}
