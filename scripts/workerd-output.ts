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

export function forwardLines(from: Readable, to: Writable, keep: (line: string) => boolean): void {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
    if (keep(line)) to.write(`${line}\n`);
  });
}
