// Mail over real SMTP (npm `smtp-server` on 127.0.0.1, read back by the test): an invitation
// whose link sets a password once, a password reset, and a mail server that is down: the action
// succeeds, the admin sees the failure, and the scheduled work delivers it once the server is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtpMailer } from "../../src/mail/smtp-mailer.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { Client } from "../contract/client.ts";
import { bearer, type Harness } from "../contract/harness.ts";
import { PageClient } from "../support/page-client.ts";
import { linkIn, startSmtpSink, type SmtpSink } from "../support/smtp-sink.ts";
import { nodeHarness } from "./node-harness.ts";

const ORIGIN = "https://repo.example.test";

describe("node: mail over SMTP", () => {
  let smtp: SmtpSink;
  let harness: Harness;
  let client: Client;
  let admin: string;
  let addresses = 0;
  const browser = () => new PageClient(harness.app, ORIGIN, { "cf-connecting-ip": `198.12.${(++addresses >> 8) & 255}.${addresses & 255}` });
  const mailTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));
  const invite = (email: string) => client.api<{ user: { id: number; username: string }; mail: string }>(admin, "POST", "/api/invitations", { email, roles: ["ROLE_USER"] });
  const exchange = (username: string, password: string) => client.request("/api/auth/token", { method: "POST", headers: { "cf-connecting-ip": `198.11.0.${++addresses & 255}` }, body: JSON.stringify({ username, password }) });
  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 50 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const mail = { smtpUrl: smtp.url, from: "Satchel <satchel@repo.example.test>" };
    harness = await nodeHarness({ mail }, { mailer: smtpMailer({ url: smtp.url, from: mail.from, timeoutMs: 2000 }) });
    client = new Client(harness.app);
    admin = await client.adminToken();
  });
  afterAll(() => smtp?.stop());

  it("mails an invitation whose link sets the password once; a second use is refused", async () => {
    const invited = await invite("dana@customer.test");
    expect(invited.mail).toBe("sent");
    await waitFor(() => mailTo("dana@customer.test").length > 0);
    const [mail] = mailTo("dana@customer.test");
    expect(mail?.raw).toContain("Subject: Your Satchel account");
    const link = linkIn(mail!, "/invite/");
    expect(link).toMatch(/^https:\/\/repo\.example\.test\/invite\/[0-9a-f]{64}$/);
    const path = link!.slice(ORIGIN.length);
    const page = browser();
    expect((await page.get(path)).status).toBe(200);
    expect((await page.post(path, { password: "short" })).status).toBe(400);
    expect((await page.post(path, { password: "dana-chose-this" })).location).toBe("/login");
    expect((await exchange(invited.user.username, "dana-chose-this")).status).toBe(201);
    // Used once: refused after, and changes nothing.
    const again = browser();
    expect((await again.get(path)).status).toBe(410);
    expect((await again.post(path, { password: "mallory-wants-in" }, { csrf: (await again.get("/password-reset")).body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "" })).status).toBe(410);
    expect((await exchange(invited.user.username, "mallory-wants-in")).status).toBe(401);
  });

  it("refuses an invitation link after it expires", async () => {
    const invited = await invite("late@customer.test");
    await waitFor(() => mailTo("late@customer.test").length > 0);
    const path = linkIn(mailTo("late@customer.test")[0]!, "/invite/")!.slice(ORIGIN.length);
    harness.clock.now += 7 * 86_400_000 + 1;
    const page = browser();
    expect((await page.get(path)).status).toBe(410);
    expect((await exchange(invited.user.username, "anything-at-all")).status).toBe(401);
  });

  it("mails a password reset link (the same answer for unknown accounts), which works once", async () => {
    const customer = await client.customer(admin);
    await client.api(admin, "PUT", `/api/users/${customer.id}`, { email: "erin@customer.test" });
    const page = browser();
    await page.get("/password-reset");
    const asked = await page.post("/password-reset", { username: "erin@customer.test" });
    await page.get("/password-reset");
    const unknown = await page.post("/password-reset", { username: "nobody-here" });
    expect(unknown.body).toBe(asked.body);
    await waitFor(() => mailTo("erin@customer.test").length > 0);
    const path = linkIn(mailTo("erin@customer.test")[0]!, "/password-reset/")!.slice(ORIGIN.length);
    const reset = browser();
    await reset.get(path);
    expect((await reset.post(path, { password: "erin-new-password" })).location).toBe("/login");
    expect((await exchange(customer.username, "erin-new-password")).status).toBe(201);
    expect((await exchange(customer.username, customer.password)).status).toBe(401);
    expect((await browser().get(path)).status).toBe(410);
  });

  it("invites while the mail server is down: the invitation stands, the admin sees why, and the mail goes out once it is back", async () => {
    await smtp.stop();
    try {
      const invited = await invite("frank@customer.test");
      expect(invited.mail).toBe("queued");
      const outbox = await client.request("/api/mail-outbox", { headers: bearer(admin) });
      const { mail } = (await outbox.json()) as { mail: { to: string; attempts: number; lastError: string }[] };
      expect(mail.find((entry) => entry.to === "frank@customer.test")).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|connect/i) });
      expect(JSON.stringify(mail)).not.toContain("/invite/");
    } finally {
      await smtp.start();
    }
    harness.clock.now += 60_000;
    await runScheduledWork(harness.app.services);
    await waitFor(() => mailTo("frank@customer.test").length > 0);
    expect(linkIn(mailTo("frank@customer.test")[0]!, "/invite/")).not.toBeNull();
    const { mail } = (await (await client.request("/api/mail-outbox", { headers: bearer(admin) })).json()) as { mail: { to: string }[] };
    expect(mail.find((entry) => entry.to === "frank@customer.test")).toBeUndefined();
  });
});
