import { describe, expect, it } from "vitest";
import { subrequestFailureFilter } from "./quiet-subrequest-failures.ts";

// As workerd logs a fetch to a closed port, one structured message per write.
const TRACE = [
  "exception = rust/worker/ffi.rs:110: disconnected: Connection refused (os error 111)\nstack: workerd@28a3c60\n",
  "uncaught exception; source = Uncaught (in promise); stack = Error: Network connection lost.\n",
  "uncaught exception; exception = workerd/jsg/value.h:1535: disconnected: jsg.Error: Network connection lost.\nstack: workerd@3a4d9d0\n",
];

describe("subrequestFailureFilter", () => {
  it("drops the trace of a failed outgoing fetch, and nothing after it", () => {
    const drop = subrequestFailureFilter();
    expect([...TRACE, ...TRACE].map(drop)).toEqual([true, true, true, true, true, true]);
    expect(drop("stdout | a test > its log line\n")).toBe(false);
  });

  it("keeps an uncaught exception that no transport failure announced", () => {
    const drop = subrequestFailureFilter();
    expect(drop("uncaught exception; source = Uncaught (in promise); stack = Error: a real bug\n")).toBe(false);
    drop(TRACE[0]);
    drop(TRACE[1]);
    drop(TRACE[2]);
    expect(drop("uncaught exception; source = Uncaught (in promise); stack = Error: a real bug\n")).toBe(false);
  });
});
