// Small archives kept in memory after a download, so that the next download of a hot zipball (a
// CI fleet, one cold `composer update` after another) is not another blob-store read: on local
// workerd (`npm start`) that read is 0.35 ms of the Worker's one thread (the R2 simulator, more
// than all of the app's own work for the request), on Cloudflare an R2 operation and its latency.
// Downloads still stream: the first goes from the blob store to the client as it arrives, and a
// copy is kept only once it has passed through whole. Memory stays bounded whatever the archives:
// at most MAX_ENTRY_BYTES per archive (bigger ones are only ever streamed), at most
// MAX_TOTAL_BYTES per isolate or process (an eighth of a Worker's 128 MB), least recently used
// dropped first. A copy is kept only when its SHA-1 is the shasum the metadata publishes for the
// reference, and served only while that shasum is still the published one: an archive stored
// again under the same key (after a GC, with other bytes) is never answered with the old ones.
import { sha1Hex } from "../crypto/digest.ts";

export const MAX_ENTRY_BYTES = 256 * 1024;
export const MAX_TOTAL_BYTES = 16 * 1024 * 1024;
const SHASUM = /^[0-9a-f]{40}$/;

export class ZipballMemo {
  readonly #entries = new Map<string, { bytes: Uint8Array<ArrayBuffer>; shasum: string }>();
  readonly #maxEntryBytes: number;
  readonly #maxTotalBytes: number;
  #totalBytes = 0;

  constructor(maxEntryBytes = MAX_ENTRY_BYTES, maxTotalBytes = MAX_TOTAL_BYTES) {
    this.#maxEntryBytes = maxEntryBytes;
    this.#maxTotalBytes = maxTotalBytes;
  }

  /** The archive stored under `key`, if remembered with `shasum` (the one published now). */
  get(key: string, shasum: string): Uint8Array<ArrayBuffer> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.shasum !== shasum) {
      this.#drop(key);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.bytes;
  }

  /**
   * `body` as it streams to the client; once it has passed through whole, `remember` gets the
   * work of checking and keeping the copy (the caller runs it after the answer). Archives too big
   * to keep, or without a published shasum (not built yet), pass through untouched.
   */
  keep(key: string, shasum: string, size: number, body: ReadableStream<Uint8Array>, remember: (work: Promise<void>) => void): ReadableStream<Uint8Array> {
    if (size > this.#maxEntryBytes || !SHASUM.test(shasum)) return body;
    const chunks: Uint8Array[] = [];
    let received = 0;
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received <= size) chunks.push(chunk);
          controller.enqueue(chunk);
        },
        flush: () => {
          if (received === size) remember(this.#remember(key, shasum, chunks, size));
        },
      }),
    );
  }

  async #remember(key: string, shasum: string, chunks: Uint8Array[], size: number): Promise<void> {
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    if ((await sha1Hex(bytes)) !== shasum) return;
    this.#drop(key);
    this.#entries.set(key, { bytes, shasum });
    this.#totalBytes += size;
    for (const [oldest] of this.#entries) {
      if (this.#totalBytes <= this.#maxTotalBytes) break;
      this.#drop(oldest);
    }
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#totalBytes -= entry.bytes.byteLength;
  }
}
