import { describe, expect, it } from "vitest";
import { allOf, withoutInfoLogs, withoutTransportFailures } from "./workerd-output.ts";

// What wrangler dev printed offline, once a minute (the changes-feed check of packagist.org).
const OFFLINE_TRACE = [
  "✘ [ERROR] e = rust/worker/ffi.rs:110: failed: failed to lookup address information: Name or service not known",
  "",
  "  stack: /x/workerd@383c3f9 /x/workerd@28a3c60; sentryErrorContext = jsgInternalError; wdErrId = h25lh7qc",
  "",
  "",
];

describe("withoutTransportFailures", () => {
  it("drops workerd's trace of a failed outgoing fetch and keeps what follows", () => {
    const keep = withoutTransportFailures();
    const lines = ["Satchel (workerd) ready on http://127.0.0.1:8080", ...OFFLINE_TRACE, ...OFFLINE_TRACE, "▲ [WARNING] No admin user exists.", "", "  http://127.0.0.1:8080/setup?token=abc"];
    expect(lines.filter(keep)).toEqual(["Satchel (workerd) ready on http://127.0.0.1:8080", "▲ [WARNING] No admin user exists.", "", "  http://127.0.0.1:8080/setup?token=abc"]);
  });

  it("keeps every other error, stack included", () => {
    const keep = withoutTransportFailures();
    const lines = ["✘ [ERROR] Uncaught TypeError: x is not a function", "", "  stack: at handler (src/app.ts:1)"];
    expect(lines.filter(keep)).toEqual(lines);
  });
});

describe("withoutInfoLogs", () => {
  it("drops the Worker's info and debug log lines and keeps its warnings, errors and plain text", () => {
    const lines = [
      '{"level":"info","time":"2026-12-06T11:52:51.030Z","message":"created the admin user from ADMIN_USER","username":"admin"}',
      '{"level":"debug","time":"2026-12-06T11:52:51.031Z","message":"x"}',
      '{"level":"warn","time":"2026-12-06T11:52:51.032Z","message":"could not install a webhook"}',
      '{"level":"error","time":"2026-12-06T11:52:51.033Z","message":"scheduled step failed"}',
      "  No admin user exists. Open this one-time link to create one:",
      '  {"level":"info"} quoted in a message',
    ];
    expect(lines.filter(allOf(withoutTransportFailures(), withoutInfoLogs()))).toEqual(lines.slice(2));
  });
});
