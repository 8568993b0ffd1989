// The part of s3rver (a local S3-protocol server, used by the S3 blob-store tests) we call.
declare module "s3rver" {
  interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory: string;
    configureBuckets?: { name: string; configs: unknown[] }[];
  }
  /** Its filesystem store; the only method we wrap (see test/support/s3-server.ts). */
  interface S3rverStore {
    deleteObject(bucket: string, key: string): Promise<void>;
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    store: S3rverStore;
    run(): Promise<unknown>;
    close(): Promise<void>;
  }
}
