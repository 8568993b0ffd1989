// The object-storage blob store for self-hosting on several boxes: any S3-compatible service
// (AWS S3, R2's S3 API, MinIO) through @aws-sdk/client-s3, chosen with
// SATCHEL_BLOB_URL=s3://<bucket>?endpoint=<url>&region=<region>. Credentials come from the SDK's
// usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). A put is one PutObject with its
// length, so no reader ever sees part of an object; a failing or slow endpoint throws
// BlobStoreUnavailable, which the app answers with a 503.
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { BlobStore, StoredBlob } from "../ports.ts";
import { BlobStoreUnavailable } from "./unavailable.ts";

export interface S3Location {
  bucket: string;
  endpoint?: string;
  region: string;
  /** Bucket in the path (MinIO, most self-hosted servers) rather than in the host name. */
  forcePathStyle: boolean;
  timeoutMs: number;
}

/** Reads `s3://bucket?endpoint=...&region=...&path-style=1&timeout-ms=...`. */
export function parseS3Url(url: string): S3Location {
  const parsed = new URL(url);
  if (parsed.protocol !== "s3:" || !parsed.hostname) throw new Error(`SATCHEL_BLOB_URL must look like s3://bucket?endpoint=https://...: ${url}`);
  const endpoint = parsed.searchParams.get("endpoint") ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) throw new Error("the s3:// endpoint must be an http(s) URL");
  const timeout = Number(parsed.searchParams.get("timeout-ms") ?? 10_000);
  return {
    bucket: parsed.hostname,
    endpoint,
    region: parsed.searchParams.get("region") ?? "us-east-1",
    forcePathStyle: (parsed.searchParams.get("path-style") ?? (endpoint ? "1" : "0")) === "1",
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 10_000,
  };
}

const isMissing = (error: unknown) => {
  const name = (error as { name?: string }).name;
  return name === "NoSuchKey" || name === "NotFound" || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
};

export function s3BlobStore(location: S3Location, client = new S3Client({
  region: location.region,
  endpoint: location.endpoint,
  forcePathStyle: location.forcePathStyle,
  maxAttempts: 2,
  requestHandler: { connectionTimeout: Math.min(location.timeoutMs, 3000), requestTimeout: location.timeoutMs },
})): BlobStore {
  const Bucket = location.bucket;
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isMissing(error)) throw error;
      throw new BlobStoreUnavailable(`object storage: ${what} failed`, { cause: error });
    }
  };
  return {
    async get(key) {
      let object;
      try {
        object = await call("get", () => client.send(new GetObjectCommand({ Bucket, Key: key })));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      const body = object.Body;
      if (!body) return null;
      const size = Number(object.ContentLength ?? 0);
      let consumed: Promise<Uint8Array> | undefined;
      const bytes = () => (consumed ??= body.transformToByteArray());
      const blob: StoredBlob = {
        size,
        get body() {
          return body.transformToWebStream() as ReadableStream<Uint8Array>;
        },
        bytes,
        text: async () => new TextDecoder().decode(await bytes()),
      };
      return blob;
    },
    async put(key, data) {
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      await call("put", () => client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentLength: bytes.length })));
    },
    async has(key) {
      try {
        await call("head", () => client.send(new HeadObjectCommand({ Bucket, Key: key })));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async delete(keys) {
      // DeleteObjects takes at most 1,000 keys; deleting a missing key is not an error.
      for (let i = 0; i < keys.length; i += 1000) {
        const Objects = keys.slice(i, i + 1000).map((Key) => ({ Key }));
        if (Objects.length) await call("delete", () => client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } })));
      }
    },
    async *list(prefix) {
      let ContinuationToken: string | undefined;
      do {
        const page = await call("list", () => client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken })));
        for (const object of page.Contents ?? []) if (object.Key) yield { key: object.Key, size: Number(object.Size ?? 0) };
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}
