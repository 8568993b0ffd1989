// composer.lock review of pull requests and security monitoring of default branches, for
// packages flagged `reviewLockFiles` / `application`: hooks in (signed), the edge's job reads
// the files and writes the one comment through a local server speaking each provider's API
// (test/support/fake-forge.ts), and `security_alert` deliveries go out through the outbox.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../src/db/schema.ts";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { startEdgeJob } from "../../src/integrations/security/edge-job-store.ts";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { FORGE_TOKEN } from "../support/fake-forge.ts";
import { Client } from "./client.ts";
import { ForgeClient } from "./forge-client.ts";
import { json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { ReceiverClient } from "./hook-receiver-client.ts";
import { composerLock } from "./lock-fixtures.ts";

type Provider = "github" | "gitlab" | "gitea" | "bitbucket";
interface JobView {
  status: string;
  kind: string;
  result?: Record<string, unknown>;
}

const PROVIDERS: Record<Provider, { kind: string; api: string; repository: (repo: string) => string; fullName: (repo: string) => string }> = {
  github: { kind: "github-token", api: "/github", repository: (repo) => `https://github.com/acme/${repo}.git`, fullName: (repo) => `acme/${repo}` },
  gitlab: { kind: "gitlab-token", api: "/gitlab", repository: (repo) => `https://gitlab.example.test/group/${repo}.git`, fullName: (repo) => `group/${repo}` },
  gitea: { kind: "gitea-token", api: "/gitea", repository: (repo) => `https://gitea.example.test/acme/${repo}.git`, fullName: (repo) => `acme/${repo}` },
  bitbucket: { kind: "bitbucket-token", api: "/bitbucket/2.0", repository: (repo) => `https://bitbucket.org/acme/${repo}`, fullName: (repo) => `acme/${repo}` },
};

export function lockReviewSuite(runtime: string, factory: HarnessFactory, urls: () => { forge: string; receiver: string }) {
  describe(`${runtime}: composer.lock review and security monitoring`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let forge: ForgeClient;
    let receiver: ReceiverClient;
    const secrets = {} as Record<Provider, string>;
    const credentials = {} as Record<Provider, number>;
    let lib: string;

    const waitForJob = async (id: string): Promise<JobView> => {
      for (let i = 0; i < 400; i++) {
        const job = await client.api<JobView>(admin, "GET", `/api/jobs/${id}`);
        if (job.status === "done" || job.status === "failed") return job;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`job ${id} did not finish`);
    };
    const alertsOf = async (repository: string) => (await client.api<{ alerts: { repository: string; package: string; version: string }[] }>(admin, "GET", "/api/security-alerts")).alerts.filter((alert) => alert.repository === repository);
    const edgeJobCount = async () => (await harness.app.services.db.orm.select({ id: jobs.id }).from(jobs).where(eq(jobs.workerId, "edge")).all()).length;
    const monitoredPackage = async (provider: Provider, flags: Record<string, boolean> = { reviewLockFiles: true }) => {
      const repo = unique("app");
      const name = `acme/${repo}`;
      await createPackageRow(harness.app.services, { name, kind: "vcs", repository: PROVIDERS[provider].repository(repo), credentialsId: credentials[provider] });
      const view = await client.api<Record<string, unknown>>(admin, "PUT", `/api/packages/${name}`, flags);
      expect(view).toMatchObject(flags);
      return { repo, name, fullName: PROVIDERS[provider].fullName(repo) };
    };
    const signed = async (provider: Provider, event: string, payload: unknown, secret = secrets[provider]) => {
      const body = JSON.stringify(payload);
      const hex = await hmacSha256Hex(secret, body);
      const headers: Record<Provider, Record<string, string>> = {
        github: { "x-github-event": event, "x-github-delivery": crypto.randomUUID(), "x-hub-signature-256": `sha256=${hex}` },
        gitlab: { "x-gitlab-event": event, "idempotency-key": crypto.randomUUID(), "x-gitlab-token": secret },
        gitea: { "x-gitea-event": event, "x-gitea-delivery": crypto.randomUUID(), "x-gitea-signature": hex },
        bitbucket: { "x-event-key": event, "x-request-uuid": crypto.randomUUID(), "x-hub-signature": `sha256=${hex}` },
      };
      return client.request(`/api/${provider}`, { method: "POST", headers: { "content-type": "application/json", ...headers[provider] }, body });
    };
    const pullRequest = (provider: Provider, repo: string, number: number, base: string, head: string): [string, unknown] => {
      const repository = PROVIDERS[provider].repository(repo);
      switch (provider) {
        case "github":
          return ["pull_request", { action: "synchronize", number, pull_request: { number, base: { sha: base }, head: { sha: head } }, repository: { clone_url: repository, full_name: `acme/${repo}` } }];
        case "gitlab":
          return ["Merge Request Hook", { object_kind: "merge_request", project: { git_http_url: repository }, object_attributes: { iid: number, action: "update", oldrev: "0".repeat(40), target_branch: base, last_commit: { id: head } } }];
        case "gitea":
          return ["pull_request", { action: "synchronized", number, pull_request: { number, base: { sha: base }, head: { sha: head } }, repository: { clone_url: repository } }];
        case "bitbucket":
          return ["pullrequest:updated", { pullrequest: { id: number, source: { commit: { hash: head } }, destination: { commit: { hash: base } } }, repository: { full_name: `acme/${repo}`, links: { html: { href: repository.replace(/\.git$/, "") } } } }];
      }
    };
    /** GitLab's merge request as its API describes it: the hook names only the target branch. */
    const mergeRequest = async (repo: string, number: number, targetBranch: string, baseSha: string, headSha: string) => {
      const response = await fetch(`${urls().forge}/_control/merge-request`, { method: "POST", body: JSON.stringify({ repo: PROVIDERS.gitlab.fullName(repo), number, targetBranch, baseSha, headSha }) });
      expect(response.status).toBe(204);
    };
    const review = async (provider: Provider, repo: string, number: number, base: string, head: string) => {
      if (provider === "gitlab") await mergeRequest(repo, number, base, base, head);
      const [event, payload] = pullRequest(provider, repo, number, base, head);
      const response = await signed(provider, event, payload);
      expect(response.status).toBe(202);
      const body = await json<{ status: string; jobs: string[] }>(response);
      expect(body.jobs).toHaveLength(1);
      return waitForJob(body.jobs[0]);
    };

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      forge = new ForgeClient(urls().forge);
      receiver = new ReceiverClient(urls().receiver);
      await client.api(admin, "POST", "/api/webhook-allowed-hosts", { host: "127.0.0.1" });
      for (const provider of Object.keys(PROVIDERS) as Provider[]) {
        secrets[provider] = (await client.api<{ secret: string }>(admin, "POST", "/api/webhook-secrets", { name: unique(provider), provider })).secret;
        credentials[provider] = (await client.api<{ id: number }>(admin, "POST", "/api/credentials", { name: unique("forge"), kind: PROVIDERS[provider].kind, secret: FORGE_TOKEN, publicInfo: `${urls().forge}${PROVIDERS[provider].api}` })).id;
      }
      // A private package Satchel hosts (compare links) with an advisory on 1.1.x.
      lib = `acme/${unique("lib")}`;
      await createPackageRow(harness.app.services, { name: lib, kind: "vcs", repository: `https://github.com/${lib}.git`, credentialsId: credentials.github });
      await client.api(admin, "POST", "/api/advisories", { packageName: lib, affectedVersions: ">=1.1.0,<1.2.0", title: "Remote code execution in the parser", cve: "CVE-2026-4242", severity: "high", link: "https://security.example.test/CVE-2026-4242" });
    });

    it("comments once on a GitHub pull request with the lock's changes, and updates that comment on the next push", async () => {
      const { repo, fullName } = await monitoredPackage("github");
      // Other comments come first: the review's is found across pages (the forge pages by 2).
      for (const text of ["LGTM", "please rebase", "done"]) await forge.comment("github", fullName, 7, text);
      await forge.file("github", fullName, "base1", composerLock([{ name: lib, version: "1.0.0", reference: "a".repeat(40) }, { name: "psr/log", version: "3.0.0" }]));
      await forge.file("github", fullName, "head1", composerLock([{ name: lib, version: "1.1.0", reference: "b".repeat(40) }, { name: "monolog/monolog", version: "3.5.0" }]));
      const job = await review("github", repo, 7, "base1", "head1");
      expect(job).toMatchObject({ kind: "lock-review", status: "done", result: { status: "commented", updated: false, added: 1, removed: 1, upgraded: 1, advisories: 1 } });
      const [first] = (await forge.comments("github", fullName, 7)).slice(3);
      expect(first.body).toContain("<!-- satchel:composer-lock-review -->");
      expect(first.body).toContain("**1 added, 1 removed, 1 upgraded, 0 downgraded, 1 security advisory**");
      expect(first.body).toContain(`| \`${lib}\` | \`1.1.0\` | [CVE-2026-4242: Remote code execution in the parser](https://security.example.test/CVE-2026-4242) (high) |`);
      expect(first.body).toContain(`| \`${lib}\` ([compare](https://github.com/${lib}/compare/${"a".repeat(40)}...${"b".repeat(40)})) | \`1.0.0\` | \`1.1.0\` |`);
      expect(first.body).toContain("| `monolog/monolog` | `3.5.0` |");
      expect(first.body).toContain("| `psr/log` | `3.0.0` |");

      // A new push to the pull request: the same comment now says what the new head changes.
      await forge.file("github", fullName, "head2", composerLock([{ name: lib, version: "0.9.0", reference: "c".repeat(40) }, { name: "psr/log", version: "3.0.0" }]));
      const again = await review("github", repo, 7, "base1", "head2");
      expect(again.result).toMatchObject({ status: "commented", updated: true, downgraded: 1, advisories: 0 });
      const comments = await forge.comments("github", fullName, 7);
      expect(comments).toHaveLength(4);
      expect(comments[3].id).toBe(first.id);
      expect(comments[3].body).toContain(`| \`${lib}\` ([compare](https://github.com/${lib}/compare/${"a".repeat(40)}...${"c".repeat(40)})) | \`1.0.0\` | \`0.9.0\` (major) |`);
      const writes = (await forge.requests("github")).filter((request) => request.method !== "GET" && request.path.includes(`/${fullName}/`));
      expect(writes.map((request) => request.method)).toEqual(["POST", "PATCH"]);
      expect(writes[1].path).toBe(`/github/repos/${fullName}/issues/comments/${first.id}`);

      // A push that undoes the change: the comment says so instead of listing stale changes.
      await forge.file("github", fullName, "head3", composerLock([{ name: lib, version: "1.0.0", reference: "a".repeat(40) }, { name: "psr/log", version: "3.0.0" }]));
      expect((await review("github", repo, 7, "base1", "head3")).result).toEqual({ status: "unchanged", commentId: String(first.id) });
      const last = await forge.comments("github", fullName, 7);
      expect(last).toHaveLength(4);
      expect(last[3].body).toBe("<!-- satchel:composer-lock-review -->\n### composer.lock changes\n\nThis pull request no longer changes composer.lock.\n");
    });

    it.each(["gitlab", "gitea", "bitbucket"] as const)("comments on a %s pull request through its own API and updates the same comment", async (provider) => {
      const { repo, fullName } = await monitoredPackage(provider);
      for (const text of ["first", "second", "third"]) await forge.comment(provider, fullName, 3, text);
      await forge.file(provider, fullName, "main", composerLock([{ name: lib, version: "1.0.0" }]));
      await forge.file(provider, fullName, "h1", composerLock([{ name: lib, version: "2.0.0" }]));
      expect((await review(provider, repo, 3, "main", "h1")).result).toMatchObject({ status: "commented", updated: false, upgraded: 1 });
      await forge.file(provider, fullName, "h2", composerLock([{ name: lib, version: "2.1.0" }]));
      expect((await review(provider, repo, 3, "main", "h2")).result).toMatchObject({ status: "commented", updated: true, upgraded: 1 });
      const comments = await forge.comments(provider, fullName, 3);
      expect(comments).toHaveLength(4);
      expect(comments[3].body).toContain(`| \`${lib}\` | \`1.0.0\` | \`2.1.0\` (major) |`);
      const writes = (await forge.requests(provider)).filter((request) => request.method !== "GET" && request.path.includes(fullName.split("/")[1]));
      expect(writes.map((request) => request.method)).toEqual(["POST", provider === "gitea" ? "PATCH" : "PUT"]);
      expect(JSON.parse(writes[0].body)).toEqual(provider === "bitbucket" ? { content: { raw: expect.stringContaining("satchel:composer-lock-review") } } : { body: expect.stringContaining("satchel:composer-lock-review") });
    });

    it("compares a GitLab merge request from its diff_refs.base_sha, not from the target branch that moved on", async () => {
      const { repo, fullName } = await monitoredPackage("gitlab");
      const mergeBase = "1".repeat(40);
      const head = "2".repeat(40);
      await forge.file("gitlab", fullName, mergeBase, composerLock([{ name: lib, version: "1.0.0" }]));
      // Since the merge request was opened, another merge added psr/log to the target branch.
      await forge.file("gitlab", fullName, "main", composerLock([{ name: lib, version: "1.0.0" }, { name: "psr/log", version: "3.0.0" }]));
      await forge.file("gitlab", fullName, head, composerLock([{ name: lib, version: "2.0.0" }]));
      await mergeRequest(repo, 9, "main", mergeBase, head);
      const [event, payload] = pullRequest("gitlab", repo, 9, "main", head);
      const response = await signed("gitlab", event, payload);
      expect(response.status).toBe(202);
      const job = await waitForJob((await json<{ jobs: string[] }>(response)).jobs[0]);
      expect(job.result).toMatchObject({ status: "commented", added: 0, removed: 0, upgraded: 1 });
      const [comment] = await forge.comments("gitlab", fullName, 9);
      expect(comment.body).toContain(`| \`${lib}\` | \`1.0.0\` | \`2.0.0\` (major) |`);
      expect(comment.body).not.toContain("psr/log");
      const asked = (await forge.requests("gitlab")).filter((request) => request.path.includes(encodeURIComponent(fullName)) && request.method === "GET").map((request) => request.path);
      expect(asked).toContain(`/gitlab/api/v4/projects/${encodeURIComponent(fullName)}/merge_requests/9`);
      expect(asked).not.toContain(`/gitlab/api/v4/projects/${encodeURIComponent(fullName)}/repository/files/composer.lock/raw?ref=main`);
    });

    it.each(Object.keys(PROVIDERS) as Provider[])("answers a %s pull-request event with a bad signature 401 and queues nothing", async (provider) => {
      const { repo, fullName } = await monitoredPackage(provider);
      await forge.file(provider, fullName, "b", composerLock([{ name: lib, version: "1.0.0" }]));
      await forge.file(provider, fullName, "h", composerLock([{ name: lib, version: "1.1.0" }]));
      const before = await edgeJobCount();
      const [event, payload] = pullRequest(provider, repo, 1, "b", "h");
      const response = await signed(provider, event, payload, "not-the-secret");
      expect(response.status).toBe(401);
      expect(await edgeJobCount()).toBe(before);
      expect(await forge.comments(provider, fullName, 1)).toEqual([]);
    });

    it.each([
      ["invalid JSON", '{"packages": [', /head composer\.lock is not valid JSON/],
      ["unknown keys", composerLock([{ name: "psr/log", version: "3.0.0" }], { "totally-unknown": true }), /keys Composer does not write: "totally-unknown"/],
      ["10 MB", composerLock([{ name: "psr/log", version: "3.0.0" }], { _readme: ["x".repeat(10 * 1024 * 1024)] }), /head composer\.lock is larger than 8388608 bytes, the most Satchel reads/],
    ])("fails the review job of a lock file with %s, with the reason, and posts nothing", async (_label, head, reason) => {
      const { repo, fullName } = await monitoredPackage("github");
      await forge.file("github", fullName, "base", composerLock([{ name: lib, version: "1.0.0" }]));
      await forge.file("github", fullName, "bad", head);
      const job = await review("github", repo, 2, "base", "bad");
      expect(job.status).toBe("failed");
      expect(String(job.result?.error)).toMatch(reason);
      expect(await forge.comments("github", fullName, 2)).toEqual([]);
      // Nothing else is affected: the next good push is reviewed.
      await forge.file("github", fullName, "good", composerLock([{ name: lib, version: "1.0.1" }]));
      expect((await review("github", repo, 2, "base", "good")).result).toMatchObject({ status: "commented", upgraded: 1 });
    });

    it("posts nothing when the lock did not change, and ignores repositories without the flag", async () => {
      const { repo, fullName } = await monitoredPackage("github");
      const lock = composerLock([{ name: lib, version: "1.0.0" }]);
      await forge.file("github", fullName, "b", lock);
      await forge.file("github", fullName, "h", lock);
      expect((await review("github", repo, 4, "b", "h")).result).toEqual({ status: "unchanged" });
      expect(await forge.comments("github", fullName, 4)).toEqual([]);
      // A repository without composer.lock on either side.
      expect((await review("github", repo, 6, "no-such-ref", "nor-this")).result).toEqual({ status: "no-lock-file" });
      expect(await forge.comments("github", fullName, 6)).toEqual([]);

      const plain = await monitoredPackage("github", { reviewLockFiles: false });
      const [event, payload] = pullRequest("github", plain.repo, 5, "b", "h");
      const response = await signed("github", event, payload);
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ status: "ignored", jobs: [] });

      // Only a repository can be reviewed or monitored: an uploaded package cannot take the flags.
      const artifact = `acme/${unique("artifact")}`;
      await createPackageRow(harness.app.services, { name: artifact, kind: "artifact", repository: null });
      const refused = await client.request(`/api/packages/${artifact}`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ application: true }) });
      expect(refused.status).toBe(400);
      expect((await json<{ error: { message: string } }>(refused)).error.message).toContain('"application" needs a VCS package');
    });

    it("raises one security_alert for a vulnerable version on the default branch, never again for it, and once more after a regression", async () => {
      const { repo, name, fullName } = await monitoredPackage("github", { application: true });
      const path = `/alerts-${unique("hook")}`;
      await client.api(admin, "POST", "/api/webhooks", { name: unique("alerts"), url: `${urls().receiver}${path}`, events: ["security_alert"], packageFilter: name });
      await forge.defaultBranch("github", fullName, "trunk");
      await forge.file("github", fullName, "trunk", composerLock([{ name: lib, version: "1.1.0" }, { name: "psr/log", version: "3.0.0" }]));
      const push = async () => {
        const response = await signed("github", "push", { ref: "refs/heads/trunk", after: crypto.randomUUID().replace(/-/g, ""), repository: { clone_url: PROVIDERS.github.repository(repo) } });
        expect(response.status).toBe(202);
        const body = await json<{ securityChecks: string[] }>(response);
        expect(body.securityChecks).toHaveLength(1);
        return waitForJob(body.securityChecks[0]);
      };
      const deliveries = async (count: number) => {
        for (let i = 0; i < 200 && (await receiver.requests(path)).length < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        return receiver.requests(path);
      };
      expect(await push()).toMatchObject({ kind: "security-check", status: "done", result: { branch: "trunk", lockFile: true, affected: 1, newAlerts: 1 } });
      const [delivery] = await deliveries(1);
      expect(delivery.headers["x-satchel-event"]).toBe("security_alert");
      expect(delivery.headers["x-satchel-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(delivery.body)).toMatchObject({
        event: "security_alert",
        package: { name },
        repository: fullName,
        alerts: [{ package: lib, version: "1.1.0", cve: "CVE-2026-4242", affectedVersions: ">=1.1.0,<1.2.0", title: "Remote code execution in the parser" }],
      });
      const listed = await client.api<{ alerts: { repository: string; package: string }[] }>(admin, "GET", "/api/security-alerts");
      expect(listed.alerts.filter((alert) => alert.repository === fullName)).toEqual([expect.objectContaining({ package: lib, version: "1.1.0" })]);

      // Checked again (another push): already reported, nothing sent.
      expect((await push()).result).toMatchObject({ affected: 1, newAlerts: 0 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await receiver.requests(path)).toHaveLength(1);

      // Fixed: the alert closes. Regressed: it is reported once more.
      await forge.file("github", fullName, "trunk", composerLock([{ name: lib, version: "1.2.0" }]));
      expect((await push()).result).toMatchObject({ affected: 0, newAlerts: 0 });
      expect((await client.api<{ alerts: { repository: string }[] }>(admin, "GET", "/api/security-alerts")).alerts.filter((alert) => alert.repository === fullName)).toEqual([]);
      await forge.file("github", fullName, "trunk", composerLock([{ name: lib, version: "1.1.0" }]));
      expect((await push()).result).toMatchObject({ affected: 1, newAlerts: 1 });
      expect(await deliveries(2)).toHaveLength(2);
    });

    it("checks application packages daily from the scheduler, the stalest first, and fails edge jobs an ended invocation left running", async () => {
      const services = harness.app.services;
      const { name, fullName } = await monitoredPackage("gitlab", { application: true });
      await forge.file("gitlab", fullName, "main", composerLock([{ name: lib, version: "1.1.5" }]));
      const stranded = await startEdgeJob(services, "lock-review", { package: name });
      harness.clock.now += 16 * 60_000;
      const first = await runScheduledWork(services);
      expect(first.lockChecks.abandoned).toBeGreaterThanOrEqual(1);
      expect(await client.api<JobView>(admin, "GET", `/api/jobs/${stranded}`)).toMatchObject({ status: "failed", result: { error: "The edge stopped before the job finished." } });
      for (let pass = 0; pass < 10 && (await alertsOf(fullName)).length === 0; pass++) await runScheduledWork(services);
      expect(await alertsOf(fullName)).toEqual([expect.objectContaining({ package: lib, version: "1.1.5" })]);
      // Checked within the day: not again until a day has passed.
      const checkedJobs = async () => (await services.db.orm.select({ id: jobs.id }).from(jobs).where(eq(jobs.kind, "security-check")).all()).length;
      const before = await checkedJobs();
      await runScheduledWork(services);
      const sameDay = (await checkedJobs()) - before;
      harness.clock.now += 24 * 60 * 60_000 + 1;
      let later = 0;
      for (let pass = 0; pass < 10; pass++) later += (await runScheduledWork(services)).lockChecks.checked;
      expect(sameDay).toBe(0);
      expect(later).toBeGreaterThanOrEqual(1);
    });
  });
}
