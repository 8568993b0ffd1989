// wrangler dev prints workerd's trace of every failed outgoing fetch as an [ERROR] with a stack,
// although the Worker gets the rejection and handles it (the proxy then rests the upstream, a
// webhook delivery is retried): offline, the scheduled check of packagist.org's changes feed
// printed one every minute. `npm start` drops exactly those blocks, a line naming workerd's
// Rust transport (rust/worker/ffi.rs) and the blank and "stack:" lines after it; all other
// output passes. test/support/quiet-subrequest-failures.ts does the same for the test pool.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

const TRANSPORT_FAILURE = /rust\/worker\/ffi\.rs:\d+: /;
const TRACE_TAIL = /^\s*(stack: .*)?$/;

export function withoutTransportFailures(): (line: string) => boolean {
  let inTrace = false;
  return (line) => {
    if (TRANSPORT_FAILURE.test(line)) inTrace = true;
    else if (!inTrace || !TRACE_TAIL.test(line)) inTrace = false;
    return !inTrace;
  };
}

/**
 * The Worker's own log lines (JSON, src/http/logger.ts) at warn and above, as wrangler dev
 * showed them at `--log-level warn`: `npm start` stays one screen; info lines (the first admin
 * created, the default upstream seeded) are for the logs of a real deployment.
 */
export function withoutInfoLogs(): (line: string) => boolean {
  return (line) => !/^\{"level":"(info|debug)"/.test(line);
}

/** Keeps a line only when every filter keeps it (each sees every line, to follow its own state). */
export function allOf(...filters: ((line: string) => boolean)[]): (line: string) => boolean {
  return (line) => filters.map((keep) => keep(line)).every(Boolean);
}

export function forwardLines(from: Readable, to: Writable, keep: (line: string) => boolean): void {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
    if (keep(line)) to.write(`${line}\n`);
  });
}
