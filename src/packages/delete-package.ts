// Deleting a package: its installed repository hook, then rows (so it disappears from metadata
// at once), then its blobs.
import { distKey, REFERENCE_PATTERN } from "../blobs/keys.ts";
import type { Services } from "../services.ts";
import { emitPackageEvent, type Actor } from "../webhooks/outgoing/package-events.ts";
import { removeProviderHook } from "../webhooks/provider-hooks/install.ts";
import { deletePackageRows, versionDocuments, type PackageRow } from "./package-store.ts";

export async function deletePackage(services: Services, row: PackageRow, actor: Actor = null): Promise<void> {
  const { db } = services;
  // The hook Satchel installed on the repository goes first: its record goes with the package.
  await removeProviderHook(services, row.id);
  const references = await versionDocuments(db, row.id);
  await deletePackageRows(services, row.id);
  services.catalog.invalidate(row.name);
  await emitPackageEvent(services, "delete_repo", row, actor);
  const keys = references
    .map(({ reference }) => reference)
    .filter((reference): reference is string => reference !== null && REFERENCE_PATTERN.test(reference))
    .map((reference) => distKey(row.name, reference));
  for (const docKey of [row.tagsDocKey, row.devDocKey]) if (docKey) keys.push(docKey);
  await services.blobs.delete(keys);
}
