// Remembered Composer answers (src/cache/answer-memo.ts, src/http/remembered-fetch.ts): a
// repeated packages.json or p2 request gets the very answer the app gave, without running it
// again, and never an answer older than a change this instance knows of.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { basic, bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

const COMPOSER = { "accept-encoding": "gzip", "user-agent": "Composer/2.8.1 (Linux; 6.1.0; PHP 8.2.7; cURL 7.88.1)" };

async function snapshot(response: Response): Promise<{ status: number; headers: [string, string][]; bytes: number[] }> {
  return { status: response.status, headers: [...response.headers].sort(([a], [b]) => a.localeCompare(b)), bytes: [...new Uint8Array(await response.arrayBuffer())] };
}

export function rememberedAnswersSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: remembered Composer answers`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let name: string;
    let customer: { id: number; username: string; token: string };
    beforeAll(async () => {
      harness = await factory({ statsFlushMs: 0 });
      client = new Client(harness.app);
      admin = await client.adminToken();
      name = `acme/${unique("memo")}`;
      await client.uploadOk(admin, name, "1.0.0");
      customer = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
    });
    const hits = () => harness.app.services.answers.stats().hits;
    const asCustomer = (extra: Record<string, string> = {}) => ({ headers: { ...basic(customer.username, customer.token), ...COMPOSER, ...extra } });

    it("answers a repeated packages.json, p2 and 304 with the same status, headers and bytes, from memory", async () => {
      for (const [path, extra] of [["/packages.json", {}], [`/p2/${name}.json`, {}], [`/p2/${name}.json`, { "accept-encoding": "identity" }]] as const) {
        const first = await snapshot(await client.request(path, asCustomer(extra)));
        const before = hits();
        const second = await snapshot(await client.request(path, asCustomer(extra)));
        expect(hits(), path).toBe(before + 1);
        expect(second, path).toEqual(first);
        expect(first.status).toBe(200);
        const lastModified = first.headers.find(([header]) => header === "last-modified")![1];
        const conditional = asCustomer({ ...extra, "if-modified-since": lastModified });
        const notModified = await snapshot(await client.request(path, conditional));
        expect(notModified.status, path).toBe(304);
        expect(await snapshot(await client.request(path, conditional)), path).toEqual(notModified);
      }
    });

    it("keeps each variant apart: encoding, credentials, If-Modified-Since and client", async () => {
      const path = `/p2/${name}.json`;
      const gzipped = await client.request(path, asCustomer());
      const plain = await client.request(path, asCustomer({ "accept-encoding": "" }));
      expect(gzipped.headers.get("content-encoding")).toBe("gzip");
      expect(plain.headers.get("content-encoding")).toBeNull();
      expect(JSON.parse(await plain.text()).packages[name]).toHaveLength(1);
      // Another customer without the grant is refused, though the URL was answered a moment ago.
      const stranger = await client.customer(admin);
      expect((await client.request(path, { headers: { ...basic(stranger.username, stranger.token), ...COMPOSER } })).status).toBe(404);
      expect((await client.request(path, { headers: COMPOSER })).status).toBe(401);
      expect((await client.request(path, { headers: { ...basic(customer.username, `${customer.token}x`), ...COMPOSER } })).status).toBe(401);
    });

    it("sees a change made here at once: a new version, a narrowed grant, a revoked token", async () => {
      const path = `/p2/${name}.json`;
      const versions = async () => ((await json<{ packages: Record<string, unknown[]> }>(await client.request(path, asCustomer({ "accept-encoding": "" })))).packages[name] ?? []).length;
      expect(await versions()).toBe(1);
      expect(await versions()).toBe(1);
      await client.uploadOk(admin, name, "1.1.0");
      expect(await versions()).toBe(2);

      const own = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
      const asOwn = { headers: { ...basic(own.username, own.token), ...COMPOSER } };
      expect((await client.request(path, asOwn)).status).toBe(200);
      await client.api(admin, "PUT", `/api/users/${own.id}`, { groups: [] });
      expect((await client.request(path, asOwn)).status).toBe(404);

      const minted = await client.api<{ id: number; token: string }>(customer.token, "POST", "/api/tokens", { name: unique("ci"), scopes: ["metadata:read"] });
      const asMinted = { headers: { ...bearer(minted.token), ...COMPOSER } };
      expect((await client.request(path, asMinted)).status).toBe(200);
      expect((await client.request(path, asMinted)).status).toBe(200);
      await client.api(customer.token, "DELETE", `/api/tokens/${minted.id}`);
      expect((await client.request(path, asMinted)).status).toBe(401);
    });

    it("remembers the 404 of a name the customer cannot see, and forgets it when they can", async () => {
      const hidden = `acme/${unique("hidden")}`;
      const path = `/p2/${hidden}.json`;
      const first = await snapshot(await client.request(path, asCustomer()));
      expect(first.status).toBe(404);
      const before = hits();
      expect(await snapshot(await client.request(path, asCustomer()))).toEqual(first);
      expect(hits()).toBe(before + 1);
      await client.uploadOk(admin, hidden, "1.0.0");
      expect((await client.request(path, asCustomer())).status).toBe(404);
      await client.api(admin, "PUT", `/api/users/${customer.id}`, { groups: [await client.group(admin, [{ name }, { name: hidden }])] });
      expect((await client.request(path, asCustomer())).status).toBe(200);
    });

    it("never outlives the token: refused the moment it expires, and kept at most a second", async () => {
      const path = `/p2/${name}.json`;
      const expiresAt = harness.clock.now + 500;
      const { token } = await client.api<{ token: string }>(customer.token, "POST", "/api/tokens", { name: unique("short"), scopes: ["metadata:read"], expiresAt: new Date(expiresAt).toISOString() });
      const asShort = { headers: { ...bearer(token), ...COMPOSER } };
      expect((await client.request(path, asShort)).status).toBe(200);
      const before = hits();
      expect((await client.request(path, asShort)).status).toBe(200);
      expect(hits()).toBe(before + 1);
      harness.clock.now = expiresAt;
      expect((await client.request(path, asShort)).status).toBe(401);

      await client.request(path, asCustomer());
      harness.clock.now += 1000;
      const misses = harness.app.services.answers.stats().misses;
      expect((await client.request(path, asCustomer())).status).toBe(200);
      expect(harness.app.services.answers.stats().misses).toBe(misses + 1);
    });

    it("records the token's last use and counts the request on a remembered answer", async () => {
      const path = `/p2/${name}.json`;
      const own = await client.customer(admin, { groups: [await client.group(admin, [{ name }])] });
      const { id, token } = await client.api<{ id: number; token: string }>(own.token, "POST", "/api/tokens", { name: unique("use"), scopes: ["metadata:read"] });
      const asToken = { headers: { ...bearer(token), ...COMPOSER } };
      await client.request(path, asToken);
      await harness.app.services.flushPending();
      harness.clock.now += 400;
      const hitsBefore = hits();
      const metricsBefore = harness.app.services.metrics.counts.reduce((sum, count) => sum + count, 0);
      expect((await client.request(path, asToken)).status).toBe(200);
      expect(hits()).toBe(hitsBefore + 1);
      expect(harness.app.services.metrics.counts.reduce((sum, count) => sum + count, 0)).toBe(metricsBefore + 1);
      await harness.app.services.flushPending();
      const listed = await client.api<{ tokens: { id: number; lastUsedAt: string | null }[] }>(own.token, "GET", "/api/tokens");
      expect(listed.tokens.find((entry) => entry.id === id)?.lastUsedAt).toBe(new Date(harness.clock.now).toISOString());
    });

    it("refuses a repeated bad token from memory, still counting every failure: 30 401s, then 429s; a valid token from that address passes", async () => {
      const path = `/p2/${name}.json`;
      const from = { "cf-connecting-ip": "203.0.113.77" };
      const badRequest = { headers: { ...basic(customer.username, `${customer.token}x`), ...COMPOSER, ...from } };
      const before = hits();
      const statuses: number[] = [];
      let refusal: Awaited<ReturnType<typeof snapshot>> | undefined;
      for (let i = 0; i < 35; i++) {
        const response = await client.request(path, badRequest);
        statuses.push(response.status);
        if (i === 0) refusal = await snapshot(response);
        else if (i < 30) expect(await snapshot(response)).toEqual(refusal);
      }
      expect(statuses).toEqual([...Array(30).fill(401), ...Array(5).fill(429)]);
      expect(hits() - before).toBe(34);
      // The 429 given from memory is the one the app gives (another bad header, not remembered yet).
      const fromMemory = await snapshot(await client.request(path, badRequest));
      const fromApp = await snapshot(await client.request(path, { headers: { ...badRequest.headers, ...basic(customer.username, `${customer.token}y`) } }));
      expect(fromMemory).toEqual(fromApp);
      // A bad header first seen over the limit is remembered from then on too: still 429s, counted.
      const lateHeader = { headers: { ...badRequest.headers, ...basic(customer.username, `${customer.token}z`) } };
      const lateHits = hits();
      for (let i = 0; i < 3; i++) expect((await client.request(path, lateHeader)).status).toBe(429);
      expect(hits() - lateHits).toBe(2);
      expect(refusal!.status).toBe(401);
      expect((await client.request(path, { headers: { ...basic(customer.username, customer.token), ...COMPOSER, ...from } })).status).toBe(200);
    });

    it("answers a request with an X-Request-Id itself, echoing the id", async () => {
      const path = `/p2/${name}.json`;
      await client.request(path, asCustomer());
      const before = hits();
      const response = await client.request(path, asCustomer({ "x-request-id": "trace-42" }));
      expect(response.headers.get("x-request-id")).toBe("trace-42");
      expect(hits()).toBe(before);
    });

    it("sees another instance's change once told, as a cluster sibling is (forgetCached)", async () => {
      const path = `/p2/${name}.json`;
      const sibling = new Client(harness.sibling());
      const count = async () => ((await json<{ packages: Record<string, unknown[]> }>(await client.request(path, asCustomer({ "accept-encoding": "" })))).packages[name] ?? []).length;
      const known = await count();
      await sibling.uploadOk(admin, name, "2.0.0");
      harness.app.services.forgetCached();
      expect(await count()).toBe(known + 1);
    });
  });
}
