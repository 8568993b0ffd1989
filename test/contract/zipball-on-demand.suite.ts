// Zipballs built on first request: the git worker publishes a large repository's versions with
// some archives deferred, and a Composer request for one of them queues one high-priority
// "build-zipball" job (however many requests arrive), waits for the archive, and streams it;
// it answers 503 + Retry-After when the build does not land in time, 404 when the caller may not
// see the version (queueing nothing) or the commit is gone.
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { MAX_QUEUED_REFERENCES } from "../../src/jobs/zipball-build-store.ts";
import { Client } from "./client.ts";
import { distKey } from "../../src/blobs/keys.ts";
import { sha1Hex } from "../../src/crypto/digest.ts";
import { basic, bearer, json, packageZip, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, publishEntries, randomReference, uploadWorkerDist, workerCall } from "./worker-claims.ts";

const WAIT_MS = 1500;
const WORKER = "w-on-demand";

interface ClaimedBuild {
  id: string;
  kind: string;
  packageId: number;
  payload: { references: string[] };
}

export function zipballOnDemandSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: zipballs built on first request`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let name: string;
    let customer: { username: string; token: string };
    const refs = { built: randomReference(), deferred: Array.from({ length: 29 }, randomReference), hidden: randomReference() };

    beforeAll(async () => {
      harness = await factory({ zipballWaitMs: WAIT_MS });
      client = new Client(harness.app);
      admin = await client.adminToken();
      name = `acme/${unique("lazy")}`;
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${name}.git` });
      const jobId = await claimJobOf(client, job, WORKER);
      await uploadWorkerDist(client, name, refs.built);
      const entry = (version: string, reference: string) => ({ name, version, version_normalized: `${version}.0`, type: "library", dist: { type: "zip", url: "", reference, shasum: "" } });
      const entries = [entry("1.0.0", refs.built), ...refs.deferred.map((reference, i) => entry(`1.0.${i + 1}`, reference)), entry("2.0.0", refs.hidden)];
      // Without `deferred`, a missing zipball still refuses the publish.
      const refused = await workerCall(client, `/jobs/${jobId}/publish`, { workerId: WORKER, name, versions: entries });
      expect(refused.status).toBe(400);
      await publishEntries(client, jobId, WORKER, name, entries, { deferred: [...refs.deferred, refs.hidden] });
      customer = await client.customer(admin, { groups: [await client.group(admin, [{ name, version: "<2.0" }])] });
    });

    const zipball = (reference: string, who: { username: string; token: string } = { username: "admin", token: admin }) =>
      client.request(`/zipball/${name}/${reference}.zip`, { headers: basic(who.username, who.token) });
    /** The queued build job, claimed as the worker's build slot does; null when none is queued. */
    const claimBuild = async (waitMs = 0): Promise<ClaimedBuild | null> => {
      const response = await workerCall(client, "/jobs/claim", { workerId: WORKER, waitMs, kinds: ["build-zipball"] });
      return response.status === 204 ? null : json<ClaimedBuild>(response);
    };
    const finishJob = (id: string, body: Record<string, unknown>) => workerCall(client, `/jobs/${id}/finish`, { workerId: WORKER, ...body });

    it("serves a built zipball at once, without a job", async () => {
      const response = await zipball(refs.built);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      expect(await claimBuild()).toBeNull();
    });

    it("queues one build for concurrent requests, and answers 503 + Retry-After with a warning when it does not land in time", async () => {
      const reference = refs.deferred[0];
      const responses = await Promise.all(Array.from({ length: 6 }, () => zipball(reference)));
      for (const response of responses) {
        expect(response.status).toBe(503);
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await json<{ warning: string }>(response)).warning).toMatch(/being built/);
      }
      const build = await claimBuild();
      expect(build).toMatchObject({ kind: "build-zipball", payload: { references: [reference] } });
      expect(await claimBuild()).toBeNull();
      await finishJob(build!.id, { status: "done", result: { built: [], missing: [] } });
    });

    it("streams the archive once the worker uploads it while the request waits", async () => {
      const reference = refs.deferred[1];
      const started = Date.now();
      const waiting = zipball(reference);
      const build = await claimBuild(WAIT_MS);
      expect(build?.payload.references).toEqual([reference]);
      await uploadWorkerDist(client, name, reference);
      await finishJob(build!.id, { status: "done", result: { built: [reference], missing: [] } });
      const response = await waiting;
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(WAIT_MS + 1000);
      // Stored: the next request is served without a job.
      expect((await zipball(reference)).status).toBe(200);
      expect(await claimBuild()).toBeNull();
    });

    it("streams the archive when the build lands between the request's reads of the job and of the archive", async () => {
      // A client fetching old zipballs one after another (kill.test.ts's judge, under load) got a
      // 503 for an archive stored while its request looked: the request read the blob (missing),
      // then the job (done), and took that for "done without the archive".
      const reference = refs.deferred[7];
      const key = distKey(name, reference);
      const blobs = harness.app.services.blobs;
      const get = blobs.get;
      let misses = 0;
      blobs.get = async (asked) => {
        const found = await get.call(blobs, asked);
        // The first miss is the route's own read before it queues the build; at the second, inside
        // the request's wait, the worker stores the archive and finishes the job.
        if (asked === key && !found && ++misses === 2) {
          const build = await claimBuild();
          expect(build?.payload.references).toEqual([reference]);
          await uploadWorkerDist(client, name, reference);
          await finishJob(build!.id, { status: "done", result: { built: [reference], missing: [] } });
        }
        return found;
      };
      try {
        const response = await zipball(reference);
        expect(response.status, await response.clone().text()).toBe(200);
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
        expect(misses).toBeGreaterThanOrEqual(2);
      } finally {
        blobs.get = get;
      }
    });

    /** PUT /api/worker/dist as the git worker uploads an archive: `label` makes its bytes differ. */
    const putDist = async (reference: string, label: string) => {
      const archive = packageZip({ name, description: label }, { wrapIn: `${name.replace("/", "-")}-${reference.slice(0, 12)}` });
      const response = await client.request(`/api/worker/dist/${name}/${reference}`, { method: "PUT", headers: { ...bearer(TEST_CONFIG.workerToken), "content-type": "application/zip" }, body: archive });
      return { status: response.status, shasum: (await json<{ shasum: string }>(response)).shasum, own: await sha1Hex(archive) };
    };

    it("keeps the first archive stored for a reference: a rebuild with other bytes gets the stored one's shasum", async () => {
      // An on-demand build of a commit an earlier job already archived (git archive of a
      // mono-repository's subdirectory stamps the current time, so the bytes differ).
      const reference = refs.deferred[5];
      const first = await putDist(reference, "first build");
      expect(first).toMatchObject({ status: 201, shasum: first.own });
      const second = await putDist(reference, "second build");
      expect(second.own).not.toBe(first.own);
      expect(second).toMatchObject({ status: 201, shasum: first.own });
      const served = await zipball(reference);
      expect(served.status).toBe(200);
      expect(await sha1Hex(new Uint8Array(await served.arrayBuffer()))).toBe(first.own);
    });

    it("replaces a torn archive (a put that failed half-way) with the retried upload", async () => {
      const reference = refs.deferred[8];
      const whole = packageZip({ name, description: "whole" }, { wrapIn: `${name.replace("/", "-")}-${reference.slice(0, 12)}` });
      await harness.app.services.blobs.put(distKey(name, reference), whole.slice(0, Math.floor(whole.length / 2)));
      const retried = await putDist(reference, "retried");
      expect(retried).toMatchObject({ status: 201, shasum: retried.own });
      const served = await zipball(reference);
      expect(await sha1Hex(new Uint8Array(await served.arrayBuffer()))).toBe(retried.own);
    });

    it("answers every concurrent upload of one reference with the shasum of the archive it serves", async () => {
      // Two jobs (or a tag and a branch on one commit in one job) uploading the same key at once.
      const reference = refs.deferred[6];
      const uploads = await Promise.all(Array.from({ length: 4 }, (_, i) => putDist(reference, `build ${i}`)));
      const served = await zipball(reference);
      expect(served.status).toBe(200);
      const servedShasum = await sha1Hex(new Uint8Array(await served.arrayBuffer()));
      expect(uploads.map((upload) => upload.shasum)).toEqual(uploads.map(() => servedShasum));
      expect(uploads.map((upload) => upload.status)).toEqual(uploads.map(() => 201));
    });

    it("answers 404 without queueing anything for a reference the caller may not see", async () => {
      const hidden = await zipball(refs.hidden, customer);
      expect(hidden.status).toBe(404);
      const unknown = await zipball(randomReference(), customer);
      expect(unknown.status).toBe(404);
      expect(await claimBuild()).toBeNull();
    });

    it("answers 404 with a warning when the commit is gone from the repository", async () => {
      const reference = refs.deferred[2];
      const waiting = zipball(reference, customer);
      const build = await claimBuild(WAIT_MS);
      await finishJob(build!.id, { status: "done", result: { built: [], missing: [reference] } });
      const response = await waiting;
      expect(response.status).toBe(404);
      expect((await json<{ warning: string }>(response)).warning).toMatch(/no longer in its repository/);
    });

    it("answers 503 when the build fails, without marking the package's update as failed", async () => {
      const reference = refs.deferred[3];
      const waiting = zipball(reference);
      const build = await claimBuild(WAIT_MS);
      await finishJob(build!.id, { status: "failed", result: { error: "git host unreachable" } });
      const response = await waiting;
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).not.toBeNull();
      const pkg = await client.api<{ updateError?: string | null }>(admin, "GET", `/api/packages/${name}`);
      expect(pkg.updateError ?? null).toBeNull();
    });

    it(`bounds a flood of distinct references to one queued job of ${MAX_QUEUED_REFERENCES}`, async () => {
      const flood = refs.deferred.slice(9);
      expect(flood.length).toBeGreaterThan(MAX_QUEUED_REFERENCES);
      const responses = await Promise.all(flood.map((reference) => zipball(reference)));
      expect(responses.every((response) => response.status === 503)).toBe(true);
      const build = await claimBuild();
      expect(build?.payload.references.length).toBe(MAX_QUEUED_REFERENCES);
      expect(new Set(build?.payload.references).size).toBe(MAX_QUEUED_REFERENCES);
      expect(await claimBuild()).toBeNull();
      await finishJob(build!.id, { status: "done", result: { built: [], missing: [] } });
    });

    it("leaves an uploaded package's missing archive a 404: only git packages are built on demand", async () => {
      const uploaded = `acme/${unique("upl")}`;
      const { reference } = await client.uploadOk(admin, uploaded, "1.0.0");
      await harness.app.services.blobs.delete([distKey(uploaded, reference)]);
      const response = await client.request(`/zipball/${uploaded}/${reference}.zip`, { headers: bearer(admin) });
      expect(response.status).toBe(404);
      expect(await claimBuild()).toBeNull();
    });

    it("refuses malformed claim kinds and deferred references with 400", async () => {
      for (const kinds of ["build-zipball", [], [42]]) {
        expect((await workerCall(client, "/jobs/claim", { workerId: WORKER, kinds })).status, JSON.stringify(kinds)).toBe(400);
      }
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/acme/${unique("bad")}.git` });
      const jobId = await claimJobOf(client, job, WORKER);
      const entry = { name: `acme/${unique("bad")}`, version: "1.0.0", version_normalized: "1.0.0.0", dist: { type: "zip", url: "", reference: randomReference(), shasum: "" } };
      for (const deferred of ["all", ["../x"]]) {
        const response = await workerCall(client, `/jobs/${jobId}/publish`, { workerId: WORKER, name: entry.name, versions: [entry], deferred });
        expect(response.status, JSON.stringify(deferred)).toBe(400);
      }
      await finishJob(jobId, { status: "failed", result: { error: "test" } });
    });

    it("hands an on-demand build to the worker before older queued jobs", async () => {
      const other = `acme/${unique("queued")}`;
      await client.api(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${other}.git` });
      const waiting = zipball(refs.deferred[4]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await workerCall(client, "/jobs/claim", { workerId: WORKER, waitMs: WAIT_MS });
      const claimed = await json<{ id: string; kind: string }>(response);
      expect(claimed.kind).toBe("build-zipball");
      await finishJob(claimed.id, { status: "done", result: { built: [], missing: [] } });
      expect((await waiting).status).toBe(503);
    });

    it("answers 503 + Retry-After while a killed worker holds the build, then serves the archive another worker builds after the lease ran out", async () => {
      const killedName = `acme/${unique("killed")}`;
      const reference = randomReference();
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository: `https://git.example.test/${killedName}.git` });
      const entry = { name: killedName, version: "1.0.0", version_normalized: "1.0.0.0", type: "library", dist: { type: "zip", url: "", reference, shasum: "" } };
      await publishEntries(client, await claimJobOf(client, job, WORKER), WORKER, killedName, [entry], { deferred: [reference] });
      const request = () => client.request(`/zipball/${killedName}/${reference}.zip`, { headers: basic("admin", admin) });
      expect((await request()).status).toBe(503);
      // A worker claims the build and dies: no upload, no finish, no heartbeat.
      const claimed = await claimBuild();
      expect(claimed?.payload.references).toContain(reference);
      const during = await request();
      expect(during.status).toBe(503);
      expect(Number(during.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await claimBuild()).toBeNull();
      // Its lease runs out; the next claim (another worker) gets the same build again.
      harness.clock.now += 10 * 60_000;
      await runScheduledWork(harness.app.services);
      const retaken = await workerCall(client, "/jobs/claim", { workerId: "w-second", waitMs: 0, kinds: ["build-zipball"] });
      expect(retaken.status).toBe(200);
      const build = await json<ClaimedBuild>(retaken);
      expect(build.payload.references).toContain(reference);
      await uploadWorkerDist(client, killedName, reference);
      await workerCall(client, `/jobs/${build.id}/finish`, { workerId: "w-second", status: "done", result: { built: [reference], missing: [] } });
      const served = await request();
      expect(served.status).toBe(200);
      expect(Object.keys(unzipSync(new Uint8Array(await served.arrayBuffer()))).some((file) => file.endsWith("composer.json"))).toBe(true);
    });
  });
}
