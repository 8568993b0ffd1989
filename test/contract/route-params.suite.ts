// Route parameters across the API: a bad numeric id is 400 "Invalid id." on every route that
// takes one, a bad package name is answered as each route always has (404 on the package API,
// 400 invalid_name on upload, 400 on the worker's dist upload), and credentials are checked
// before the name.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { bearer, json, packageZip, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

type ErrorBody = { error: { code: string; message: string } };

const ID_ROUTES: [method: string, path: (id: string) => string][] = [
  ["GET", (id) => `/api/users/${id}`],
  ["PUT", (id) => `/api/users/${id}`],
  ["DELETE", (id) => `/api/users/${id}`],
  ["GET", (id) => `/api/groups/${id}`],
  ["DELETE", (id) => `/api/groups/${id}`],
  ["GET", (id) => `/api/upstreams/${id}`],
  ["GET", (id) => `/api/upstreams/${id}/approved`],
  ["GET", (id) => `/api/service-accounts/${id}`],
  ["GET", (id) => `/api/service-accounts/${id}/tokens`],
  ["DELETE", (id) => `/api/service-accounts/${id}/tokens/1`],
  ["DELETE", (id) => `/api/tokens/${id}`],
  ["GET", (id) => `/api/identity-providers/${id}`],
  ["DELETE", (id) => `/api/trusted-publishers/${id}`],
  ["DELETE", (id) => `/api/advisories/${id}`],
  ["DELETE", (id) => `/api/credentials/${id}`],
  ["DELETE", (id) => `/api/webhook-secrets/${id}`],
  ["GET", (id) => `/api/webhooks/${id}`],
  ["PUT", (id) => `/api/webhooks/${id}`],
  ["GET", (id) => `/api/webhooks/${id}/deliveries`],
];

export function routeParamsSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: route parameters`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it('answers 400 "Invalid id." for a zero, negative, fractional, non-numeric or unsafe id on every id route', async () => {
      for (const [method, path] of ID_ROUTES) {
        for (const id of ["0", "-1", "1.5", "abc", "9007199254740993"]) {
          const response = await client.request(path(id), { method, headers: { ...bearer(admin), "content-type": "application/json" }, body: method === "PUT" ? "{}" : undefined });
          expect(response.status, `${method} ${path(id)}`).toBe(400);
          expect((await json<ErrorBody>(response)).error, `${method} ${path(id)}`).toEqual({ code: "bad_request", message: "Invalid id." });
        }
      }
    });

    it("answers an invalid or over-long package name on the package API as an unknown package", async () => {
      for (const name of ["Acme/Widget", "acme/wid..get", `acme/${"a".repeat(251)}`]) {
        for (const method of ["GET", "PUT", "DELETE"]) {
          const response = await client.request(`/api/packages/${name}`, { method, headers: { ...bearer(admin), "content-type": "application/json" }, body: method === "PUT" ? "{}" : undefined });
          expect(response.status, `${method} ${name}`).toBe(404);
          expect((await json<ErrorBody>(response)).error.message).toBe(`Package "${name.slice(0, 120)}" was not found in this repository, or your credentials do not give access to it.`);
        }
      }
    });

    it("refuses an upload to an invalid name with 400 invalid_name, after the credentials are checked", async () => {
      const zip = packageZip({ name: "acme/widget" });
      const bad = await client.upload(admin, "Acme/Widget", "1.0.0", zip);
      expect(bad.status).toBe(400);
      expect((await json<ErrorBody>(bad)).error).toEqual({ code: "invalid_name", message: '"Acme/Widget" is not a valid package name (lowercase vendor/name).' });
      expect((await client.request("/api/packages/upload/Acme/Widget/1.0.0", { method: "PUT", body: zip })).status).toBe(401);
      const customer = await client.customer(admin, { roles: ["ROLE_FULL_CUSTOMER"] });
      expect((await client.upload(customer.token, "Acme/Widget", "1.0.0", zip)).status).toBe(403);
      const noVersion = await client.upload(admin, `acme/${unique("v")}`, "%20", zip);
      expect((await json<ErrorBody>(noVersion)).error).toEqual({ code: "invalid_version", message: "A version is required in the URL." });
    });

    it("refuses a worker's dist upload with an invalid name or reference", async () => {
      const worker = { authorization: `Bearer ${TEST_CONFIG.workerToken}` };
      for (const path of [`/api/worker/dist/Acme/widget/${"a".repeat(40)}`, "/api/worker/dist/acme/widget/-not%20a%20reference"]) {
        const response = await client.request(path, { method: "PUT", headers: worker, body: new Uint8Array([1]) });
        expect(response.status, path).toBe(400);
        expect((await json<ErrorBody>(response)).error.message, path).toBe("Invalid package name or reference.");
      }
    });

    it("answers an unknown job id with 404 naming it", async () => {
      const response = await client.request("/api/jobs/no-such-job", { headers: bearer(admin) });
      expect(response.status).toBe(404);
      expect((await json<ErrorBody>(response)).error.message).toMatch(/^Package "job no-such-job" was not found/);
    });
  });
}
