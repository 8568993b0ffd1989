// What the edge and the git worker send each other over /api/worker/*. Pure types only: the
// worker imports this file, so it must not reach the database or the services.
import type { VersionEntry } from "../composer-rules/version-entry.ts";

/** The job a Composer request queues for a zipball the worker deferred (a large repository's older versions). */
export const BUILD_ZIPBALL = "build-zipball";

/** Sent to the worker by GET /api/worker/jobs/{id}/context. */
export interface JobContext {
  kind: string;
  repository: string | null;
  packageName: string | null;
  force: boolean;
  credentials: { kind: string; secret: string; publicInfo: string | null } | null;
  /** The versions published so far, so an incremental update re-reads only refs whose commit changed. */
  published: VersionEntry[];
  /** A build-zipball job's dist references (commits) to archive and upload; it publishes nothing. */
  references?: string[];
}
