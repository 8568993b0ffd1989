// Counts every use of an app's database while something runs: the real database, only counted.
import type { SatchelApp } from "../../src/app.ts";
import type { Database } from "../../src/ports.ts";

export async function dbUses(app: SatchelApp, run: () => Promise<unknown>): Promise<number> {
  const services = app.services;
  const real = services.db;
  let uses = 0;
  const counted = new Proxy(real.orm, { get: (target, property) => (uses++, Reflect.get(target, property)) });
  services.db = { orm: counted, meter: real.meter, batch: (statements) => (uses++, real.batch(statements)) } satisfies Database;
  try {
    await run();
  } finally {
    services.db = real;
  }
  return uses;
}
