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

  // The forms, each embedding 127.0.0.1 or another non-public v4 address.
  const embeddedPrivate = [
    "http://[::127.0.0.1]/",
    "http://[::7f00:1]/",
    "http://[::ffff:0:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:10.0.0.1]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[0064:ff9b:0000::0a00:0001]/",
    "http://[64:ff9b:1::8.8.8.8]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
    "http://[2001:0:7f00:1:8000:63bf:f7f7:f7f7]/",
    "http://[fec0::1]/",
    "http://[3fff::1]/",
  ];

  it("refuses IPv6 forms that embed a non-public IPv4 address (mapped, compatible, translated, 6to4, NAT64, Teredo)", async () => {
    const services = withResolver(null);
    for (const url of embeddedPrivate) expect((await checkTarget(services, new URL(url), new Set())).ok, url).toBe(false);
  });

  it("refuses names resolving to such forms, however they are spelled (zone ids, leading zeros)", async () => {
    const answers = ["::ffff:0:7f00:1", "0:0:0:0:0:0:7f00:0001", "fe80::1%eth0", "2002:0a00:0001::", "64:ff9b::192.168.0.1", "not-an-address::1::2"];
    for (const answer of answers) {
      const services = withResolver({ "sneaky.example.com": [answer] });
      expect((await checkTarget(services, new URL("https://sneaky.example.com/"), new Set())).ok, answer).toBe(false);
    }
  });

  it("still allows the same forms around a public IPv4 address, and plain public IPv6", async () => {
    const services = withResolver(null);
    for (const url of ["http://[::ffff:8.8.8.8]/", "http://[2002:808:808::1]/", "http://[64:ff9b::8.8.8.8]/", "http://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/", "http://[2606:4700::1111]/"]) {
      expect((await checkTarget(services, new URL(url), new Set())).ok, url).toBe(true);
    }
  });
});
