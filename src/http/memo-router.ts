// The app's router: Hono's default choice (RegExpRouter, else TrieRouter) with each (method,
// path) match remembered. The full app's routes make RegExpRouter refuse (POST
// /api/worker/jobs/claim beside /api/worker/jobs/:id/publish), so the trie searched every
// request: 4% of a warm p2 on Node, 8% on Bun (bench/PROFILE.md). Composer asks for the same
// few paths again and again. Every route is added before the first request, and Hono only
// reads a match, so one result serves every request for its path. Bounded: unknown paths can
// only churn the memo, never grow it.
import type { Result, Router } from "hono/router";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";

const MAX_ENTRIES = 4096;
const MAX_PATH_LENGTH = 512;

export class MemoRouter<T> implements Router<T> {
  readonly name = "MemoRouter";
  readonly #inner: Router<T>;
  readonly #matches = new Map<string, Result<T>>();

  constructor(inner: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] })) {
    this.#inner = inner;
  }

  add(method: string, path: string, handler: T): void {
    this.#matches.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MAX_PATH_LENGTH) return this.#inner.match(method, path);
    const key = `${method} ${path}`;
    let result = this.#matches.get(key);
    if (result === undefined) {
      result = this.#inner.match(method, path);
      if (this.#matches.size >= MAX_ENTRIES) this.#matches.clear();
      this.#matches.set(key, result);
    }
    return result;
  }
}
