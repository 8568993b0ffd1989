// A worker's zipball upload. The rule: a dist blob is written once, and the first archive stored
// under a key wins. Every later upload of that key (the same commit archived again: a tag and a
// branch sharing it, two jobs of one mono-repository, an eager build and an on-demand one) gets
// the stored archive's shasum back and writes nothing. Rebuilt archives are not always the same
// bytes (`git archive` of a mono-repository's subdirectory, a tree, stamps every file with the
// current time), and Composer checks the bytes it downloads against the shasum published: an
// overwrite would break every shasum published for the first archive. Only a whole archive wins:
// a put that failed half-way (a store without atomic writes) left no shasum anyone published, and
// the retry of that upload replaces it.
import { distKey } from "../blobs/keys.ts";
import { sha1Hex } from "../crypto/digest.ts";
import { AppError } from "../http/errors.ts";
import { readZipDirectory } from "../packages/zip-directory.ts";
import { claimDistWrite, releaseUpload } from "../packages/upload-claim-store.ts";
import type { Services } from "../services.ts";

/** How long an upload that lost the race waits for the winner's blob before a 503 (the worker retries). */
const WAIT_FOR_WINNER_MS = 5_000;
const WAIT_POLL_MS = 100;

/** Stores `archive` unless an archive is stored (or being stored) under its key; returns the shasum of the stored one. */
export async function storeDistOnce(services: Services, name: string, reference: string, archive: Uint8Array): Promise<string> {
  const key = distKey(name, reference);
  const stored = await storedShasum(services, key);
  if (stored) return stored;
  const claim = await claimDistWrite(services, key);
  if (!claim) return winnerShasum(services, key);
  try {
    // A writer that stored and released between the read above and the claim.
    const raced = await storedShasum(services, key);
    if (raced) return raced;
    await services.blobs.put(key, archive);
    return await sha1Hex(archive);
  } finally {
    await releaseUpload(services, claim);
  }
}

/** The shasum of the whole archive stored under `key`; null when there is none, or only a torn one. */
async function storedShasum(services: Services, key: string): Promise<string | null> {
  const blob = await services.blobs.get(key);
  if (!blob) return null;
  const bytes = await blob.bytes();
  return isWholeZip(bytes) ? sha1Hex(bytes) : null;
}

function isWholeZip(bytes: Uint8Array): boolean {
  try {
    readZipDirectory(bytes, Number.MAX_SAFE_INTEGER);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/** The shasum of the archive another writer is storing under `key`, once it is there. */
async function winnerShasum(services: Services, key: string): Promise<string> {
  for (let waited = 0; waited < WAIT_FOR_WINNER_MS; waited += WAIT_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    const stored = await storedShasum(services, key);
    if (stored) return stored;
  }
  throw new AppError(503, "dist_being_stored", `Another upload of ${key} is in progress. Try again in a few seconds.`);
}
