// A local S3-protocol server (s3rver) for the object-storage tests, with one bucket.
//
// s3rver keeps objects as files and, after deleting one, removes the folders left empty. Its
// DeleteObjects runs those deletes concurrently, so two keys under one folder race on that
// clean-up (one removes the folder the other is reading) and the request fails with a 500
// InternalError now and then. Real S3 has no folders and no such race; deletes here go one at a
// time so the tests see S3's behaviour, not the emulator's.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { freePort } from "./satchel-process.ts";

export interface RunningS3Server {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startS3Server(bucket: string): Promise<RunningS3Server> {
  const port = await freePort();
  const server = new S3rver({ port, address: "127.0.0.1", silent: true, directory: await mkdtemp(path.join(tmpdir(), "satchel-s3-")), configureBuckets: [{ name: bucket, configs: [] }] });
  const store = server.store;
  const deleteObject = store.deleteObject.bind(store);
  let queue: Promise<unknown> = Promise.resolve();
  store.deleteObject = (bucketName, key) => {
    const done = queue.then(() => deleteObject(bucketName, key));
    queue = done.catch(() => undefined);
    return done;
  };
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, port, close: () => server.close().catch(() => undefined) };
}
