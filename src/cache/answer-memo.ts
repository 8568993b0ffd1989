// Finished Composer answers (packages.json, p2, their 304s), remembered per exact request
// (src/http/remembered-fetch.ts builds the key), so a client asking again gets the same bytes
// without the app running again: a warm p2 is then a Map lookup and a Response, as in a bare
// server (bench/PROFILE.md).
//
// An answer is only as fresh as what it was computed from, so it is dropped:
// - when this process handles a request that may write (beginWrite/endWrite), and when the
//   caches it was computed from are forgotten (a sibling process wrote: services.forgetCached);
// - at its horizon: never later than a second after it was computed (other boxes on one
//   database are seen through TTL-bounded caches anyway), nor past the token's or account's expiry.
// An answer computed while a write was in flight is not kept: it may predate the write.
export interface RememberedAnswer {
  status: number;
  body: Uint8Array | string | Blob | null;
  init: ResponseInit;
  /** The metrics endpoint class (request-metrics.ts classify). */
  endpoint: number;
  /** The token whose last use a hit records. */
  tokenId?: number;
  /** Anything else a hit must do (an upstream's hit counter, a refusal's failure count); a Response it returns answers instead. */
  onHit?: (now: number, executionCtx: unknown, request: Request, env: unknown) => Response | void;
  until: number;
  generation: number;
  weight: number;
}

export class AnswerMemo {
  readonly #entries = new Map<string, RememberedAnswer>();
  readonly #maxWeight: number;
  readonly #maxEntries: number;
  #weight = 0;
  #generation = 0;
  #writesInFlight = 0;
  #hits = 0;
  #misses = 0;

  /** How long an answer is kept at most. */
  readonly lifetimeMs: number;

  constructor(lifetimeMs: number, maxWeight = 64 * 1024 * 1024, maxEntries = 20_000) {
    this.lifetimeMs = lifetimeMs;
    this.#maxWeight = maxWeight;
    this.#maxEntries = maxEntries;
  }

  /** Changes whenever remembered answers may have gone stale: an answer computed across a change is not kept. */
  get generation(): number {
    return this.#writesInFlight > 0 ? -1 : this.#generation;
  }

  get(key: string, now: number): RememberedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    if (now >= entry.until || entry.generation !== this.#generation) {
      this.#drop(key, entry);
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    return entry;
  }

  /** Keeps `answer` if nothing changed since `generation` was read (when its computation began). */
  set(key: string, answer: Omit<RememberedAnswer, "generation" | "weight">, generation: number, now: number): void {
    if (generation < 0 || generation !== this.generation || answer.until <= now) return;
    const weight = key.length + bodyWeight(answer.body) + 256;
    if (weight > this.#maxWeight / 16) return;
    const previous = this.#entries.get(key);
    if (previous) this.#drop(key, previous);
    this.#entries.set(key, { ...answer, generation, weight });
    this.#weight += weight;
    // Maps iterate in insertion order: the oldest answers go first.
    for (const [oldKey, entry] of this.#entries) {
      if (this.#weight <= this.#maxWeight && this.#entries.size <= this.#maxEntries) break;
      this.#drop(oldKey, entry);
    }
  }

  /** Every remembered answer is forgotten (a write here, or a sibling's announcement). */
  forget(): void {
    this.#generation++;
    this.#entries.clear();
    this.#weight = 0;
  }

  /** A request that may write begins: nothing computed from here to its end is kept. */
  beginWrite(): void {
    this.#writesInFlight++;
    this.forget();
  }

  endWrite(): void {
    this.#writesInFlight--;
    this.forget();
  }

  /** Lookups since start, for /metrics. */
  stats(): { hits: number; misses: number; entries: number } {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size };
  }

  #drop(key: string, entry: RememberedAnswer): void {
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }
}

function bodyWeight(body: Uint8Array | string | Blob | null): number {
  if (body === null) return 0;
  if (typeof body === "string") return body.length * 2;
  return body instanceof Blob ? body.size : body.byteLength;
}
