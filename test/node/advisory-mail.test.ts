// Admins are mailed (over real SMTP: npm `smtp-server` on 127.0.0.1) about a new security
// advisory once it affects a published version of a private package: at once when recorded, or
// in the scheduled pass after such a version is published. One mail per advisory, never twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtpMailer } from "../../src/mail/smtp-mailer.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { Client } from "../contract/client.ts";
import type { Harness } from "../contract/harness.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.ts";
import { nodeHarness } from "./node-harness.ts";

describe("node: mail to admins about new security advisories", () => {
  let smtp: SmtpSink;
  let harness: Harness;
  let client: Client;
  let admin: string;
  const advisoryMails = (name: string) => smtp.received.filter((mail) => mail.raw.includes(`Subject: Satchel: security advisory for ${name}`));
  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const record = (packageName: string, affectedVersions: string) =>
    client.api<{ advisoryId: string }>(admin, "POST", "/api/advisories", { packageName, affectedVersions, title: `Remote code execution in ${packageName}`, severity: "high", cve: "CVE-2026-12345" });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const mail = { smtpUrl: smtp.url, from: "Satchel <satchel@repo.example.test>" };
    harness = await nodeHarness({ mail }, { mailer: smtpMailer({ url: smtp.url, from: mail.from, timeoutMs: 2000 }) });
    client = new Client(harness.app);
    admin = await client.adminToken();
    const { users } = await client.api<{ users: { id: number; username: string }[] }>(admin, "GET", "/api/users");
    await client.api(admin, "PUT", `/api/users/${users[0]!.id}`, { email: "security@vendor.test" });
    // A second admin without an address, and a customer with one: neither gets these mails.
    await client.api(admin, "POST", "/api/users", { username: "admin-two", password: "admin-two-password", roles: ["ROLE_ADMIN"] });
    await client.api(admin, "POST", "/api/users", { username: "cust", email: "cust@customer.test", password: "customer-password", roles: ["ROLE_USER"] });
  });
  afterAll(() => smtp?.stop());

  it("mails the admins once about an advisory that affects a published version", async () => {
    await client.uploadOk(admin, "acme/vulnerable", "1.2.0");
    const advisory = await record("acme/vulnerable", ">=1.0,<1.3");
    await waitFor(() => advisoryMails("acme/vulnerable").length > 0);
    const mails = advisoryMails("acme/vulnerable");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(["security@vendor.test"]);
    expect(mails[0]!.raw).toContain(advisory.advisoryId);
    expect(mails[0]!.raw).toContain("published here: 1.2.0");
    // Never twice: the scheduled pass, run again and again, sends no more.
    await runScheduledWork(harness.app.services);
    await runScheduledWork(harness.app.services);
    expect(advisoryMails("acme/vulnerable")).toHaveLength(1);
    expect(smtp.received.filter((mail) => mail.to.includes("cust@customer.test"))).toEqual([]);
  });

  it("waits for a published version the advisory affects, then mails once from the scheduled pass", async () => {
    await client.uploadOk(admin, "acme/later", "2.0.0");
    await record("acme/later", "<1.5");
    await record("acme/not-published", "*");
    await runScheduledWork(harness.app.services);
    expect(advisoryMails("acme/later")).toEqual([]);
    expect(advisoryMails("acme/not-published")).toEqual([]);

    await client.uploadOk(admin, "acme/later", "1.4.0");
    const first = await runScheduledWork(harness.app.services);
    expect(first.advisoriesMailed).toBe(1);
    await waitFor(() => advisoryMails("acme/later").length > 0);
    expect((await runScheduledWork(harness.app.services)).advisoriesMailed).toBe(0);
    expect(advisoryMails("acme/later")).toHaveLength(1);
    expect(advisoryMails("acme/later")[0]!.raw).toContain("published here: 1.4.0");
  });
});
