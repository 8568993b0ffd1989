import { describe, expect, it } from "vitest";
import type { Services } from "../../services.ts";
import { checkTarget } from "./target-guard.ts";

// Only what checkTarget reads: the resolver port.
const withResolver = (answers: Record<string, string[]> | null) =>
  ({ hooks: { resolveHost: answers ? async (host: string) => answers[host] ?? Promise.reject(new Error("ENOTFOUND")) : undefined } }) as unknown as Services;

describe("outgoing hook targets", () => {
  it("refuses literal private, loopback, link-local and metadata addresses, and local names", async () => {
    const services = withResolver(null);
    for (const url of ["http://127.0.0.1/", "http://0.0.0.0/", "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://169.254.169.254/", "http://100.64.0.1/", "http://[::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://2130706433/", "http://0x7f000001/", "http://localhost/", "http://db.internal/", "http://metadata.google.internal/", "http://printer.local/", "http://intranet/"]) {
      const check = await checkTarget(services, new URL(url), new Set());
      expect(check.ok, url).toBe(false);
    }
    expect((await checkTarget(services, new URL("https://hooks.slack.com/services/x"), new Set())).ok).toBe(true);
    expect((await checkTarget(services, new URL("https://user:pw@hooks.example.com/"), new Set())).ok).toBe(false);
    expect((await checkTarget(services, new URL("file:///etc/passwd"), new Set())).ok).toBe(false);
  });

  it("checks every address a name resolves to, where the runtime resolves", async () => {
    const services = withResolver({ "public.example.com": ["93.184.215.14"], "rebind.example.com": ["93.184.215.14", "10.0.0.7"], "v6.example.com": ["fe80::1"] });
    expect((await checkTarget(services, new URL("https://public.example.com/"), new Set())).ok).toBe(true);
    expect(await checkTarget(services, new URL("https://rebind.example.com/"), new Set())).toMatchObject({ ok: false, retry: false });
    expect((await checkTarget(services, new URL("https://v6.example.com/"), new Set())).ok).toBe(false);
    expect(await checkTarget(services, new URL("https://missing.example.com/"), new Set())).toMatchObject({ ok: false, retry: true });
  });

  it("lets an admin allow a private host, by name or with its port", async () => {
    const services = withResolver({ "chat.internal": ["10.1.1.1"] });
    expect((await checkTarget(services, new URL("http://127.0.0.1:8080/hook"), new Set(["127.0.0.1"]))).ok).toBe(true);
    expect((await checkTarget(services, new URL("http://chat.internal/hook"), new Set(["chat.internal"]))).ok).toBe(true);
    expect((await checkTarget(services, new URL("http://10.0.0.5:8080/x"), new Set(["10.0.0.5:8080"]))).ok).toBe(true);
    expect((await checkTarget(services, new URL("http://10.0.0.5:9090/x"), new Set(["10.0.0.5:8080"]))).ok).toBe(false);
  });
});
