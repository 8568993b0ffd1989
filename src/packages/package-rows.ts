// Creating and deleting package rows, with the catalog clock moved in the same batch so every
// packages.json notices.
import { eq, getTableColumns } from "drizzle-orm";
import { tickClock, touchCatalog } from "../db/clock.ts";
import { packages } from "../db/schema.ts";
import { conflict } from "../http/errors.ts";
import type { Services } from "../services.ts";

export type PackageRow = typeof packages.$inferSelect;

// Every column but the README (up to 256 KB each), for listings.
const { readme: _readme, ...listed } = getTableColumns(packages);
export const listColumns = listed;
export type ListedPackage = Omit<PackageRow, "readme">;

export async function createPackageRow(
  services: Services,
  input: { name: string; kind: "artifact" | "vcs"; repository: string | null; credentialsId?: number | null },
): Promise<PackageRow> {
  const { db } = services;
  try {
    await db.batch([
      tickClock(db, services.now()),
      db.orm.insert(packages).values({ ...input, createdAt: services.now() }),
      touchCatalog(db),
    ]);
  } catch (error) {
    // A concurrent upload may have created it a moment ago: use theirs.
    if (!String(error).includes("UNIQUE")) throw error;
  }
  const row = await db.orm.select().from(packages).where(eq(packages.name, input.name)).get();
  if (!row) throw conflict(`${input.name} could not be created.`);
  if (row.kind !== input.kind) throw conflict(`${input.name} already exists as a ${row.kind} package.`);
  services.catalog.invalidate(input.name);
  return row;
}

export async function touchCatalogNow(services: Services): Promise<void> {
  await services.db.batch([tickClock(services.db, services.now()), touchCatalog(services.db)]);
  services.catalog.invalidate();
}
