// Load: many real `composer update` clients at once (Debian's composer, each in its own project
// with its own COMPOSER_HOME and cache) against `npm run serve`, as customers with different
// grants (a constraint, a vendor wildcard, a licence freeze). Every client must finish without
// error and lock exactly the packages and versions its grants allow, computed here
// independently of Satchel. Loopback only; bounded in clients and time.
//
//   node bench/load-composer.ts [--clients 200] [--no-report]     (at most 500 clients, 120 s each)
//
// Prints the medians and writes bench/LOAD-RESULTS.md (unless --no-report).
import { execFileSync } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { zipSync, strToU8 } from "fflate";
import { composer, composerProject } from "../test/support/composer-cli.ts";
import { startSatchel, type SatchelProcess } from "../test/support/satchel-process.ts";

interface Grant {
  name: string;
  version?: string;
}

interface Customer {
  label: string;
  grants: Grant[];
  /** Frozen between the two release batches: only the first batch is visible. */
  frozen: boolean;
}

// Two batches of releases; a frozen customer's licence ended between them.
const OLD_RELEASES: Record<string, string[]> = { "acme/core": ["1.0.0", "1.1.0", "2.0.0"], "acme/util": ["1.0.0", "1.2.0"], "tools/cli": ["1.0.0"], "tools/lint": ["1.0.0"] };
const NEW_RELEASES: Record<string, string[]> = { "acme/core": ["2.1.0", "3.0.0"], "acme/util": ["2.0.0"], "tools/cli": ["1.5.0"], "tools/lint": ["1.1.0"], "secret/internal": ["1.0.0"] };

export const CUSTOMERS: Customer[] = [
  { label: "core below 2.0", grants: [{ name: "acme/core", version: "<2.0" }], frozen: false },
  { label: "every acme package", grants: [{ name: "acme/*" }], frozen: false },
  { label: "tools/* and util ^1.0", grants: [{ name: "tools/*" }, { name: "acme/util", version: "^1.0" }], frozen: false },
  { label: "core and cli, frozen", grants: [{ name: "acme/core" }, { name: "tools/cli" }], frozen: true },
];

export interface LoadResult {
  clients: number;
  errors: string[];
  wallMs: number;
  clientMs: number[];
}

/** Runs the whole load against a fresh `npm run serve`; never throws for a client's failure (see errors). */
export async function runComposerLoad(options: { clients: number; log?: (line: string) => void }): Promise<LoadResult> {
  const log = options.log ?? (() => undefined);
  const satchel = await startSatchel("node");
  try {
    const admin = await satchel.adminToken();
    const released = await seedCatalog(satchel, admin);
    const accounts = await Promise.all(CUSTOMERS.map((customer, index) => createCustomer(satchel, admin, customer, index, released.freezeAt)));
    const expected = CUSTOMERS.map((customer) => expectedLock(customer));
    log(`seeded ${Object.keys(released.all).length} packages; ${options.clients} clients start`);
    const started = Date.now();
    const runs = await Promise.all(
      Array.from({ length: options.clients }, (_, index) => {
        const customer = index % CUSTOMERS.length;
        return runClient(satchel.url, accounts[customer]!, expected[customer]!);
      }),
    );
    const wallMs = Date.now() - started;
    const errors = runs.flatMap((run, index) => (run.error ? [`client ${index} (${CUSTOMERS[index % CUSTOMERS.length]!.label}): ${run.error}`] : []));
    // Beyond what each lock holds: a customer's package list names nothing else.
    for (const [index, account] of accounts.entries()) {
      const listed = await listedPackages(satchel.url, account);
      const want = [...expected[index]!.keys()].sort();
      if (JSON.stringify(listed) !== JSON.stringify(want)) errors.push(`${CUSTOMERS[index]!.label}: list.json names ${JSON.stringify(listed)}, expected ${JSON.stringify(want)}`);
    }
    return { clients: options.clients, errors, wallMs, clientMs: runs.map((run) => run.ms) };
  } finally {
    await satchel.stop();
  }
}

async function api<T>(satchel: SatchelProcess, token: string, method: string, route: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${satchel.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...init,
  });
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Uploads the old batch, lets a second pass, then the new one; the freeze falls in between. */
async function seedCatalog(satchel: SatchelProcess, admin: string) {
  const upload = async (name: string, version: string) => {
    const zip = zipSync({ "composer.json": strToU8(JSON.stringify({ name, description: `${name} ${version}`, time: new Date().toISOString(), autoload: { "psr-4": { [`${name.split("/")[1]}\\`]: "src/" } } })), "src/Version.php": strToU8(`<?php // ${name} ${version}\n`) });
    const response = await fetch(`${satchel.url}/api/packages/upload/${name}/${version}`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" }, body: zip });
    if (response.status !== 201) throw new Error(`upload ${name} ${version}: ${response.status} ${await response.text()}`);
  };
  for (const [name, versions] of Object.entries(OLD_RELEASES)) for (const version of versions) await upload(name, version);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const freezeAt = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  for (const [name, versions] of Object.entries(NEW_RELEASES)) for (const version of versions) await upload(name, version);
  const all: Record<string, string[]> = {};
  for (const batch of [OLD_RELEASES, NEW_RELEASES]) for (const [name, versions] of Object.entries(batch)) all[name] = [...(all[name] ?? []), ...versions];
  return { freezeAt, all };
}

interface Account {
  username: string;
  token: string;
}

async function createCustomer(satchel: SatchelProcess, admin: string, customer: Customer, index: number, freezeAt: string): Promise<Account> {
  const group = await api<{ id: number }>(satchel, admin, "POST", "/api/groups", { name: `load-${index}`, packages: customer.grants, ...(customer.frozen ? { expiredUpdatesAt: freezeAt } : {}) });
  const username = `load-customer-${index}`;
  const password = `load-password-${index}-0123456789`;
  await api(satchel, admin, "POST", "/api/users", { username, password, roles: ["ROLE_USER"], groups: [group.id] });
  const { token } = await api<{ token: string }>(satchel, admin, "POST", "/api/auth/token", { username, password });
  return { username, token };
}

/** package => version the customer's lock must hold: the highest release its grants allow. */
export function expectedLock(customer: Customer): Map<string, string> {
  const lock = new Map<string, string>();
  const batches = customer.frozen ? [OLD_RELEASES] : [OLD_RELEASES, NEW_RELEASES];
  for (const grant of customer.grants) {
    for (const batch of batches) {
      for (const [name, versions] of Object.entries(batch)) {
        const matches = grant.name.endsWith("/*") ? name.startsWith(grant.name.slice(0, -1)) : name === grant.name;
        if (!matches) continue;
        for (const version of versions) {
          if (grant.version && !satisfies(version, grant.version)) continue;
          const current = lock.get(name);
          if (!current || compare(version, current) > 0) lock.set(name, version);
        }
      }
    }
  }
  return lock;
}

const parts = (version: string) => version.split(".").map(Number);
function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The two constraint forms the customers above use: `<X.Y` and `^X.Y`. */
function satisfies(version: string, constraint: string): boolean {
  if (constraint.startsWith("<")) return compare(version, constraint.slice(1)) < 0;
  if (constraint.startsWith("^")) return parts(version)[0] === parts(constraint.slice(1))[0] && compare(version, constraint.slice(1)) >= 0;
  throw new Error(`unsupported constraint ${constraint}`);
}

async function listedPackages(url: string, account: Account): Promise<string[]> {
  const response = await fetch(`${url}/packages/list.json`, { headers: { authorization: `Basic ${btoa(`${account.username}:${account.token}`)}` } });
  return (((await response.json()) as { packageNames?: string[] }).packageNames ?? []).sort();
}

/** One client: its own project (and COMPOSER_HOME and cache inside it), removed afterwards. */
async function runClient(url: string, account: Account, expected: Map<string, string>): Promise<{ ms: number; error?: string }> {
  const started = Date.now();
  const dir = await composerProject(url, account.username, account.token, Object.fromEntries([...expected.keys()].map((name) => [name, "*"])));
  try {
    return await checkedUpdate(url, dir, expected, started);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkedUpdate(url: string, dir: string, expected: Map<string, string>, started: number): Promise<{ ms: number; error?: string }> {
  // Bounded: composer() kills a client after 120 s.
  const run = await composer(dir, ["update"]);
  const ms = Date.now() - started;
  if (run.code !== 0) return { ms, error: `composer exited ${run.code}: ${run.output.trim().split("\n").slice(-5).join(" | ")}` };
  const lock = JSON.parse(await readFile(path.join(dir, "composer.lock"), "utf8")) as { packages: { name: string; version: string; dist?: { url: string } }[] };
  const got = new Map(lock.packages.map((entry) => [entry.name, entry.version]));
  const want = JSON.stringify([...expected].sort());
  if (JSON.stringify([...got].sort()) !== want) return { ms, error: `locked ${JSON.stringify([...got].sort())}, expected ${want}` };
  const foreign = lock.packages.find((entry) => !entry.dist?.url.startsWith(url));
  if (foreign) return { ms, error: `${foreign.name} came from ${foreign.dist?.url}` };
  return { ms };
}

function composerVersion(): string {
  const output = execFileSync("composer", ["--version", "--no-ansi"], { env: { ...process.env, COMPOSER_ALLOW_SUPERUSER: "1" } }).toString();
  return /Composer (?:version )?\S+/.exec(output)?.[0] ?? "composer";
}

export function median(values: number[]): number {
  const ordered = [...values].sort((a, b) => a - b);
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 ? ordered[middle]! : (ordered[middle - 1]! + ordered[middle]!) / 2;
}

function report(result: LoadResult): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const ordered = [...result.clientMs].sort((a, b) => a - b);
  return `# Load: ${result.clients} concurrent \`composer update\` clients

Measured ${new Date().toISOString().slice(0, 10)} by \`node bench/load-composer.ts --clients ${result.clients}\` on this
machine (2 shared cores), against \`npm run serve\` (Node, libSQL file, blob folder) on 127.0.0.1.
Each client is Debian's ${composerVersion()} in its own project with its own COMPOSER_HOME and cache,
authenticated as one of ${CUSTOMERS.length} customers: ${CUSTOMERS.map((customer) => customer.label).join("; ")}.
Each composer.lock is checked against the package set and versions the customer's grants allow,
computed independently.

| clients | errors | wrong views | total wall time | median per client | slowest client |
|---|---|---|---|---|---|
| ${result.clients} | ${result.errors.length} | ${result.errors.filter((error) => error.includes("expected")).length} | ${seconds(result.wallMs)} s | ${seconds(median(result.clientMs))} s | ${seconds(ordered.at(-1) ?? 0)} s |
${result.errors.length ? `\nErrors:\n\n${result.errors.slice(0, 20).map((error) => `- ${error}`).join("\n")}\n` : ""}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { clients: { type: "string", default: "200" }, "no-report": { type: "boolean", default: false } } });
  const clients = Math.min(Math.max(Number(values.clients) || 200, 1), 500);
  const result = await runComposerLoad({ clients, log: (line) => console.log(line) });
  console.log(`${result.clients} clients, ${result.errors.length} errors; total ${(result.wallMs / 1000).toFixed(1)} s, median per client ${(median(result.clientMs) / 1000).toFixed(1)} s`);
  for (const error of result.errors.slice(0, 20)) console.log(`  ${error}`);
  if (!values["no-report"]) await writeFile(path.join(import.meta.dirname, "LOAD-RESULTS.md"), report(result));
  process.exit(result.errors.length ? 1 : 0);
}
