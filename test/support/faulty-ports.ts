// Fault injection through the app's ports (src/ports.ts): a Database and a BlobStore that count
// every call while armed and, at call N, throw, stall, or (blob puts) write half the bytes and
// then throw, as a store losing its connection mid-write would. One schedule counts both ports,
// so "call N" walks through every storage step of an operation in order.
import type { BatchStatement, BlobStore, Database, Orm } from "../../src/ports.ts";

export type FaultKind = "throw" | "partial" | "delay";

export class InjectedFault extends Error {
  constructor(call: number, operation: string) {
    super(`injected fault at storage call ${call} (${operation})`);
    this.name = "InjectedFault";
  }
}

export class FaultSchedule {
  /** Storage calls made since the last arm(). */
  calls = 0;
  /** What each counted call was, for failure messages. */
  readonly trace: string[] = [];
  #at: number | null = null;
  #kind: FaultKind = "throw";
  #delayMs = 0;
  #fired = false;

  /** Fails (or stalls) the `at`-th storage call from now on. */
  arm(at: number, kind: FaultKind = "throw", delayMs = 50): void {
    this.calls = 0;
    this.trace.length = 0;
    this.#at = at;
    this.#kind = kind;
    this.#delayMs = delayMs;
    this.#fired = false;
  }

  /** Stops injecting; returns whether the fault was reached. */
  disarm(): boolean {
    this.#at = null;
    return this.#fired;
  }

  /**
   * Counts one call and decides its fate: "ok" to run it, "partial" to write half and throw.
   * Throws for "throw"; waits for "delay".
   */
  async enter(operation: string, canWritePartially = false): Promise<"ok" | "partial"> {
    if (this.#at === null) return "ok";
    this.calls++;
    this.trace.push(operation);
    if (this.calls !== this.#at) return "ok";
    this.#fired = true;
    if (this.#kind === "delay") {
      await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
      return "ok";
    }
    if (this.#kind === "partial" && canWritePartially) return "partial";
    throw new InjectedFault(this.calls, operation);
  }
}

const EXECUTING = new Set(["run", "all", "get", "values", "execute"]);

/**
 * The database port with every statement counted. Drizzle's builders run through the ORM's
 * session, so the wrapped ORM is the real one with its session swapped for one whose prepared
 * queries pass through the schedule first; `batch` counts once for the whole atomic batch.
 */
export function faultyDatabase(inner: Database, faults: FaultSchedule): Database {
  const session = (inner.orm as unknown as { session: object }).session;
  const wrappedSession: object = new Proxy(session, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (property === "prepareQuery") return (...args: unknown[]) => countedQuery(value.apply(receiver, args) as object, faults);
      // Other helpers (prepareOneTimeQuery, run, all...) call this.prepareQuery: keep `this` the proxy.
      return (...args: unknown[]) => value.apply(receiver, args);
    },
  });
  const orm = Object.create(inner.orm, { session: { value: wrappedSession } }) as Orm;
  return {
    orm,
    meter: inner.meter,
    async batch(statements: [BatchStatement, ...BatchStatement[]]) {
      await faults.enter(`db.batch(${statements.length})`);
      return inner.batch(statements);
    },
  };
}

function countedQuery(prepared: object, faults: FaultSchedule): object {
  return new Proxy(prepared, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (!EXECUTING.has(String(property))) return value.bind(target);
      const sqlText = (target as { query?: { sql?: string } }).query?.sql ?? "";
      // The original runs with the unwrapped query as `this`, so its internal calls are not counted twice.
      return async (...args: unknown[]) => {
        await faults.enter(`db.${String(property)} ${sqlText.slice(0, 60)}`);
        return value.apply(target, args);
      };
    },
  });
}

/** The blob port with every call counted; a "partial" fault on put stores half the bytes, then throws. */
export function faultyBlobStore(inner: BlobStore, faults: FaultSchedule): BlobStore {
  return {
    async get(key) {
      await faults.enter(`blob.get ${key}`);
      return inner.get(key);
    },
    async has(key) {
      await faults.enter(`blob.has ${key}`);
      return inner.has(key);
    },
    async *list(prefix) {
      await faults.enter(`blob.list ${prefix}`);
      yield* inner.list(prefix);
    },
    async delete(keys) {
      await faults.enter(`blob.delete ${keys.join(",")}`);
      return inner.delete(keys);
    },
    async put(key, data) {
      const fate = await faults.enter(`blob.put ${key}`, true);
      if (fate === "ok") return inner.put(key, data);
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      await inner.put(key, bytes.slice(0, Math.floor(bytes.length / 2)));
      throw new InjectedFault(faults.calls, `blob.put ${key} (half written)`);
    },
  };
}
