// Last-Modified for what a restricted principal sees. It must move when THEIR view changes and
// only then: a publish outside their grant must not show up as a new date. One small record per
// view scope (e.g. a package's tags for one visibility) keeps the content hash last served and
// its clock second; shared through the blob store, so every isolate answers alike.
import { viewClockKey } from "../blobs/keys.ts";
import { sha256Hex } from "../crypto/digest.ts";
import type { BlobStore } from "../ports.ts";

export interface ViewClockInput {
  /** Names the view, e.g. `p2\ntags\nacme/lib\n<filter key>`. */
  scope: string;
  content: string;
  /** The clock of the change that produced this content (used when the content changed). */
  changedAt: number;
  /** For a view never served before: a clock derived from the visible content only. */
  firstAt: number;
}

export class ViewClocks {
  readonly #blobs: BlobStore;

  constructor(blobs: BlobStore) {
    this.#blobs = blobs;
  }

  async clockFor(input: ViewClockInput): Promise<number> {
    const [key, hash] = await Promise.all([sha256Hex(input.scope).then(viewClockKey), sha256Hex(input.content)]);
    const record = await this.#read(key);
    if (record?.hash === hash) return record.clock;
    const clock = record ? input.changedAt : input.firstAt;
    // A stale isolate deriving an older document must not wind the record back.
    if (!record || clock > record.clock) await this.#blobs.put(key, `${clock} ${hash}`);
    return clock;
  }

  async #read(key: string): Promise<{ clock: number; hash: string } | null> {
    const blob = await this.#blobs.get(key);
    if (!blob) return null;
    const [clock, hash] = (await blob.text()).split(" ");
    return clock && hash ? { clock: Number(clock), hash } : null;
  }
}
