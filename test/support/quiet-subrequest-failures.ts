// workerd logs every failed outgoing fetch (connection refused, dropped, DNS) as an "uncaught
// exception" with a stack, even when the Worker awaits the fetch and handles the rejection: the
// log comes from workerd's own promise at the Rust transport (rust/worker/ffi.rs), not from ours.
// Measured with a probe that awaits and catches such fetches: each one logs the same block while
// the caller gets the rejection. The contract suite makes these failures on purpose (retries of
// network errors), so a passing run printed a dozen stack traces. This drops exactly that block:
// a transport failure line, then its two "uncaught exception" lines. Any other uncaught
// exception still prints.
const TRANSPORT_FAILURE = /^(exception|e) = rust\/worker\/ffi\.rs:\d+: /;
const ITS_ECHO = /^uncaught exception; (source = Uncaught \(in promise\); stack = |exception = workerd\/jsg\/value\.h:\d+: )/;

// A vitest global setup: it runs once vitest has set up its own output, so the filter sits in
// front of what the workerd pool writes (info lines to stdout, errors to stderr).
export default function setup(): void {
  const filter = subrequestFailureFilter();
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => (filter(chunk) ? true : write(chunk, ...rest))) as typeof stream.write;
  }
}

/** True for a write that belongs to a failed subrequest's trace (one message per write). */
export function subrequestFailureFilter(): (chunk: unknown) => boolean {
  let echoesToDrop = 0;
  return (chunk) => {
    const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : "";
    if (TRANSPORT_FAILURE.test(text)) {
      echoesToDrop = 2;
      return true;
    }
    if (echoesToDrop > 0 && ITS_ECHO.test(text)) {
      echoesToDrop--;
      return true;
    }
    if (text.trim() !== "") echoesToDrop = 0;
    return false;
  };
}
