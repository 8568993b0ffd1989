// Mail through an HTTP mail API (the way on Cloudflare), on both runtimes: the invitation
// reaches the API with its link, the link sets a password once, and an API that fails leaves
// the invitation standing and the failure visible to admins.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { ReceiverClient } from "./hook-receiver-client.ts";
import { PageClient } from "../support/page-client.ts";
import { claimJobOf, workerCall } from "./worker-claims.ts";

const ORIGIN = "https://repo.example.test";

export function mailApiSuite(runtime: string, factory: HarnessFactory, receiverUrl: () => string) {
  describe(`${runtime}: mail through an HTTP mail API`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let receiver: ReceiverClient;
    const path = `/mail-api-${unique("m")}`;

    beforeAll(async () => {
      receiver = new ReceiverClient(receiverUrl());
      harness = await factory({ mail: { apiUrl: `${receiverUrl()}${path}`, apiToken: "mail-api-token", from: "Satchel <satchel@repo.example.test>" } });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("posts the invitation to the API; its link sets the password once", async () => {
      const email = `${unique("inv")}@customer.test`;
      const invited = await client.api<{ user: { username: string }; mail: string }>(admin, "POST", "/api/invitations", { email });
      expect(invited.mail).toBe("sent");
      const [request] = (await receiver.requests(path)).filter((entry) => entry.body.includes(email));
      expect(request?.headers.authorization).toBe("Bearer mail-api-token");
      const message = JSON.parse(request?.body ?? "{}") as { to: string; from: string; text: string };
      expect(message).toMatchObject({ to: email, from: "Satchel <satchel@repo.example.test>" });
      const link = /https:\/\/repo\.example\.test(\/invite\/[0-9a-f]{64})/.exec(message.text)?.[1] ?? "";
      const page = new PageClient(harness.app, ORIGIN);
      await page.get(link);
      expect((await page.post(link, { password: "invited-password" })).location).toBe("/login");
      expect((await client.request("/api/auth/token", { method: "POST", body: JSON.stringify({ username: invited.user.username, password: "invited-password" }) })).status).toBe(201);
      expect((await new PageClient(harness.app, ORIGIN).get(link)).status).toBe(410);
    });

    it("keeps the invitation when the API fails, and shows admins why", async () => {
      await receiver.script(path, [{ status: 503 }]);
      const email = `${unique("down")}@customer.test`;
      const invited = await client.api<{ mail: string }>(admin, "POST", "/api/invitations", { email });
      expect(invited.mail).toBe("queued");
      const { mail } = await json<{ mail: { to: string; lastError: string }[] }>(await client.request("/api/mail-outbox", { headers: bearer(admin) }));
      expect(mail.find((entry) => entry.to === email)?.lastError).toContain("HTTP 503");
      const customer = await client.customer(admin);
      expect((await client.request("/api/mail-outbox", { headers: bearer(customer.token) })).status).toBe(403);
      expect((await client.request("/api/invitations", { method: "POST", headers: bearer(admin), body: JSON.stringify({ username: unique("x") }) })).status).toBe(400);
    });

    it("mails admins when an update fails", async () => {
      const users = await client.api<{ users: { id: number; username: string }[] }>(admin, "GET", "/api/users");
      const adminId = users.users.find((user) => user.username === "admin")?.id;
      const adminEmail = `${unique("admin")}@acme.test`;
      await client.api(admin, "PUT", `/api/users/${adminId}`, { email: adminEmail });
      const repository = `https://git.example.test/acme/${unique("fails")}.git`;
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository });
      const workerId = unique("worker");
      await claimJobOf(client, job, workerId);
      expect((await workerCall(client, `/jobs/${job}/finish`, { workerId, status: "failed", result: { error: "Repository not found" } })).status).toBe(200);
      let mail: { body: string }[] = [];
      for (let i = 0; i < 50 && mail.length === 0; i++) {
        mail = (await receiver.requests(path)).filter((entry) => entry.body.includes(adminEmail));
        if (mail.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(mail).toHaveLength(1);
      expect(JSON.parse(mail[0]?.body ?? "{}")).toMatchObject({ to: adminEmail, subject: expect.stringContaining("failed"), text: expect.stringContaining("Repository not found") });
    });
  });
}
