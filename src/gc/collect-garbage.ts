// The scheduled garbage-collection pass: mark blobs no row refers to, and delete the ones that
// stayed unreferenced past their retention. Deleting is claimed in the database first, and the
// references are read again after the claim, so a publish that starts pointing at a blob in
// between either keeps it or (keepBlobsStatements) waits and stores it again.
import type { Services } from "../services.ts";
import { operationRunning } from "../backup/operation-lease-store.ts";
import { GcMarks } from "./gc-marks-store.ts";
import { readLiveBlobs, type RetentionRules } from "./live-blobs-store.ts";

export interface GcReport {
  marked: number;
  collected: number;
  freedBytes: number;
  /** A backup or restore was running: nothing was looked at. */
  skipped: boolean;
}

export async function collectGarbage(services: Pick<Services, "db" | "blobs" | "now">, rules: RetentionRules): Promise<GcReport> {
  const { db, blobs } = services;
  const report: GcReport = { marked: 0, collected: 0, freedBytes: 0, skipped: false };
  // A backup lists blobs after its snapshot of rows: they must all still be there.
  if (await operationRunning(db, services.now())) return { ...report, skipped: true };
  const marks = new GcMarks(db);
  const known = await marks.all();
  const live = await readLiveBlobs(db);
  const now = services.now();
  const fresh: { key: string; size: number }[] = [];
  const referenced: string[] = [];
  const due: string[] = [];
  const seen = new Set<string>();
  for await (const { key, size } of blobs.list("")) {
    seen.add(key);
    const verdict = live.verdict(key, rules);
    const mark = known.get(key);
    if (verdict === null || verdict.live) {
      if (mark?.state === "pending") referenced.push(key);
    } else if (!mark) fresh.push({ key, size });
    else if (mark.state === "pending" && now - mark.markedAt >= verdict.keepMs) due.push(key);
  }
  const vanished = [...known.values()].filter((mark) => mark.state === "pending" && !seen.has(mark.key)).map((mark) => mark.key);
  await marks.forget([...referenced, ...vanished]);
  await marks.add(fresh, now);
  report.marked = fresh.length;

  const claimed = await marks.claim(due);
  if (claimed.length === 0) return report;
  // References read after the claim: a publish that switched to one of these blobs since the
  // first read keeps it; one that switches later waits for the claim to end.
  const after = await readLiveBlobs(db);
  const kept = claimed.filter((mark) => after.verdict(mark.key, rules)?.live !== false);
  const doomed = claimed.filter((mark) => after.verdict(mark.key, rules)?.live === false);
  await blobs.delete(doomed.map((mark) => mark.key));
  await marks.forget([...kept, ...doomed].map((mark) => mark.key));
  report.collected = doomed.length;
  report.freedBytes = doomed.reduce((total, mark) => total + mark.size, 0);
  await marks.addFreed(report.freedBytes);
  return report;
}
