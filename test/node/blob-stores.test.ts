// The blob-store contract on Node's stores: the folder, and S3 through @aws-sdk/client-s3
// against a local S3-protocol server (s3rver). Then what a failing endpoint does to a request.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { folderBlobStore } from "../../src/blobs/folder.ts";
import { parseS3Url, s3BlobStore } from "../../src/blobs/s3.ts";
import { BlobStoreUnavailable } from "../../src/blobs/unavailable.ts";
import { openLibsqlDatabase } from "../../src/db/libsql.ts";
import { blobStoreSuite } from "../contract/blob-store.suite.ts";
import { Client } from "../contract/client.ts";
import { basic, packageZip, TEST_CONFIG } from "../contract/harness.ts";
import { freePort } from "../support/satchel-process.ts";
import { startS3Server, type RunningS3Server } from "../support/s3-server.ts";

const migrations = path.resolve(import.meta.dirname, "../../migrations");
let server: RunningS3Server | undefined;
let endpoint = "";

beforeAll(async () => {
  server = await startS3Server("satchel");
  endpoint = server.endpoint;
});
afterAll(async () => {
  await server?.close();
});

// s3rver's fixed credentials; a real deployment gets them from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
const s3Store = (url: string) => {
  const location = parseS3Url(url);
  const client = new S3Client({
    region: location.region,
    endpoint: location.endpoint,
    forcePathStyle: location.forcePathStyle,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: location.timeoutMs },
  });
  return s3BlobStore(location, client);
};

blobStoreSuite("folder", async () => folderBlobStore(await mkdtemp(path.join(tmpdir(), "satchel-blobs-"))));
blobStoreSuite("s3 (s3rver)", async () => s3Store(`s3://satchel?endpoint=${endpoint}`));

describe("s3 blob store: parsing and failures", () => {
  it("reads the bucket, endpoint, region and path style from SATCHEL_BLOB_URL, and refuses nonsense", () => {
    expect(parseS3Url("s3://my-bucket?endpoint=https://minio.internal:9000&region=eu-west-1")).toEqual({
      bucket: "my-bucket",
      endpoint: "https://minio.internal:9000",
      region: "eu-west-1",
      forcePathStyle: true,
      timeoutMs: 10_000,
    });
    expect(parseS3Url("s3://aws-bucket").forcePathStyle).toBe(false);
    expect(() => parseS3Url("https://bucket")).toThrow(/s3:\/\/bucket/);
    expect(() => parseS3Url("s3://bucket?endpoint=file:///etc")).toThrow(/http/);
  });

  it("answers 503 (not 500) when the endpoint is down, and writes no metadata that points at a blob it could not store", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "satchel-s3-app-"));
    const db = await openLibsqlDatabase(`file:${path.join(dir, "satchel.db")}`, migrations);
    const deadPort = await freePort();
    const dead = s3Store(`s3://satchel?endpoint=http://127.0.0.1:${deadPort}&timeout-ms=1000`);
    await expect(dead.has("x")).rejects.toBeInstanceOf(BlobStoreUnavailable);
    const healthy = createApp({ db, blobs: s3Store(`s3://satchel?endpoint=${endpoint}`), config: TEST_CONFIG });
    const client = new Client(healthy);
    const admin = await client.adminToken();
    await client.uploadOk(admin, "acme/stored", "1.0.0");
    // Another process over the same database whose object storage is unreachable.
    const cut = new Client(createApp({ db, blobs: dead, config: TEST_CONFIG, log: { info() {}, warn() {}, error() {} } }));
    const p2 = await cut.request("/p2/acme/stored.json", { headers: basic("admin", admin) });
    expect(p2.status).toBe(503);
    expect(p2.headers.get("retry-after")).toBe("5");
    const upload = await cut.upload(admin, "acme/never", "1.0.0", packageZip({ name: "acme/never" }));
    expect(upload.status).toBe(503);
    const listing = await client.api<{ packages: { name: string }[] }>(admin, "GET", "/api/packages");
    expect(listing.packages.map((row) => row.name)).toEqual(["acme/stored"]);
    db.close();
  });
});
