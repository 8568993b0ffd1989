// What the version scanner needs from a repository, whatever reads it: the git CLI over a bare
// mirror (https, ssh, git://, local paths), GitHub through octokit, GitLab through gitbeaker.
// Every method is batched so that a repository with thousands of refs costs a handful of
// processes or API calls, never one per ref.

export interface GitRef {
  /** The ref's short name: a tag (`v1.0.0`) or branch (`main`) name, exactly as in the repository. */
  name: string;
  /** The commit the ref points to; for annotated tags the PEELED commit (Composer's reference). */
  commit: string;
}

/** composer.json (or any file) at a commit. */
export type FileAtCommit =
  /** `id`: the blob's object id when the driver knows it (else readers hash the content). */
  | { kind: "file"; content: string; id?: string }
  | { kind: "missing" }
  /** Present but unusable: a symlink, a directory, binary, or over the size limit. */
  | { kind: "unreadable"; reason: string };

export interface RepositoryDriver {
  /** The `source` entry published for every version (`url` exactly as the package names it). */
  readonly source: { type: "git" | "svn" | "hg"; url: string };
  /** Where a per-repository scan cache may live (next to a mirror); absent when there is no such place. */
  readonly scanCachePath?: string;
  /** Fetches or refreshes what the other calls read (a bare mirror, an API session). */
  open(signal?: AbortSignal): Promise<void>;
  /** The repository's default (HEAD) branch name, e.g. `main`. */
  defaultBranch(): Promise<string>;
  tags(): Promise<GitRef[]>;
  branches(): Promise<GitRef[]>;
  /** The file at each commit, keyed by commit. Implementations cap the size (1 MB). */
  readFile(commits: readonly string[], path: string): Promise<Map<string, FileAtCommit>>;
  /** Author dates, keyed by commit (Composer's GitDriver fallback for `time`, published in UTC). */
  commitDates(commits: readonly string[]): Promise<Map<string, Date>>;
  /**
   * Commit dates as DATE_RFC3339 strings with the commit's own offset, as SvnDriver and HgDriver
   * give Composer `time`; used instead of commitDates() when present.
   */
  commitTimes?(commits: readonly string[]): Promise<Map<string, string>>;
  /**
   * Composer's getRootIdentifier() when it is a revision rather than a branch name (svn, hg): its
   * composer.json names the package, and then no branch is the default branch.
   */
  rootRevision?(): Promise<string | null>;
  /** Every file path in the tree at `commit` (mono-repositories find their packages with it). */
  listFiles?(commit: string): Promise<string[]>;
  /** The reference zipballs are stored under when a commit id is not safe in a URL (svn's "/tags/1.0/@12"). */
  distReference?(commit: string): string;
  /**
   * A zip of the tree at `commit` (or of its `subdirectory`, a mono-repository's package) with
   * every entry under `prefix/`, honouring .gitattributes export-ignore and the given
   * composer.json `archive.exclude` patterns.
   */
  archive(commit: string, prefix: string, excludes: readonly string[], subdirectory?: string): Promise<Uint8Array>;
  /** Releases processes, temp files and keys. */
  close(): Promise<void>;
}

/** Raised for failures a user must act on (auth, unreachable host, missing repository). */
export class RepositoryError extends Error {
  readonly reason: "unreachable" | "auth" | "not-found" | "host-key" | "timeout" | "invalid";

  constructor(reason: RepositoryError["reason"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
