// Counts what the app asks of the database, so that tests can hold each kind of request to a
// budget under D1's per-invocation limits instead of guessing. Every statement goes through
// it: single queries via drizzle's logger, batches via the Database port's batch().
const encoder = new TextEncoder();

export interface QueryTally {
  /** Statements run (a batch counts each of its statements, as D1 does). */
  queries: number;
  /** Calls to the database: a batch is one (what a request waits for, one after another, on local D1). */
  roundTrips: number;
  /** The most bound parameters in one statement. */
  maxParams: number;
  /** The longest statement's SQL text, in bytes. */
  maxStatementBytes: number;
  /** The start of the statement with the most parameters: where to look when a limit breaks. */
  widest: string;
}

export interface D1Limits {
  queriesPerInvocation: number;
  paramsPerStatement: number;
  statementBytes: number;
}

/** https://developers.cloudflare.com/d1/platform/limits/ */
export const D1_FREE_LIMITS: D1Limits = { queriesPerInvocation: 50, paramsPerStatement: 100, statementBytes: 100_000 };
export const D1_PAID_LIMITS: D1Limits = { queriesPerInvocation: 1_000, paramsPerStatement: 100, statementBytes: 100_000 };

export class QueryMeter {
  #tally: QueryTally = { queries: 0, roundTrips: 0, maxParams: 0, maxStatementBytes: 0, widest: "" };

  /** `inBatch`: a statement after the first of a batch, sent in the same call. */
  record(sql: string, params: readonly unknown[], inBatch = false): void {
    this.#tally.queries++;
    if (!inBatch) this.#tally.roundTrips++;
    if (params.length > this.#tally.maxParams) this.#tally.widest = sql.slice(0, 160);
    this.#tally.maxParams = Math.max(this.#tally.maxParams, params.length);
    this.#tally.maxStatementBytes = Math.max(this.#tally.maxStatementBytes, encoder.encode(sql).length);
  }

  /** What was counted since the last take(), and a fresh count from here. */
  take(): QueryTally {
    const tally = this.#tally;
    this.#tally = { queries: 0, roundTrips: 0, maxParams: 0, maxStatementBytes: 0, widest: "" };
    return tally;
  }
}

/** Which of the limits a tally breaks (empty when it stays within them). */
export function overLimits(tally: QueryTally, limits: D1Limits): string[] {
  const broken: string[] = [];
  if (tally.queries > limits.queriesPerInvocation) broken.push(`${tally.queries} queries > ${limits.queriesPerInvocation}`);
  if (tally.maxParams > limits.paramsPerStatement) broken.push(`${tally.maxParams} bound parameters > ${limits.paramsPerStatement} (${tally.widest})`);
  if (tally.maxStatementBytes > limits.statementBytes) broken.push(`${tally.maxStatementBytes}-byte statement > ${limits.statementBytes}`);
  return broken;
}

/** The drizzle logger that feeds a meter. */
export function meterLogger(meter: QueryMeter) {
  return { logQuery: (query: string, params: unknown[]) => meter.record(query, params) };
}

/** Counts a batch's statements (drizzle does not log them). */
export function recordBatch(meter: QueryMeter, statements: readonly unknown[]): void {
  for (const [index, statement] of statements.entries()) {
    // Query builders have toSQL(); raw statements (db.orm.run(sql`...`)) have getQuery().
    const item = statement as { toSQL?(): { sql: string; params: unknown[] }; getQuery?(): { sql: string; params: unknown[] } };
    const built = item.toSQL?.() ?? item.getQuery?.() ?? { sql: "", params: [] };
    meter.record(built.sql, built.params, index > 0);
  }
}
