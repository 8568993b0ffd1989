// A VCS package's repository as stored in `packages.repository`: the URL, and, when the package
// was created with Composer-style repository options (`"type": "svn"`, `"trunk-path"`...), those
// options after a `#vcs=` fragment. A fragment is never sent to a server, so the stored string
// stays a valid URL, and the options travel with it to the worker without a schema change.
// `encodeVcsRepository` and `decodeVcsRepository` are the only readers and writers of the form.

export const VCS_TYPES = ["git", "svn", "hg"] as const;
export type VcsType = (typeof VCS_TYPES)[number];

/** Composer's svn repository options; `false` turns a path off, as in Composer's config. */
export const SVN_PATH_OPTIONS = ["trunk-path", "branches-path", "tags-path"] as const;
export type SvnPathOption = (typeof SVN_PATH_OPTIONS)[number];

export interface VcsRepository {
  url: string;
  /** Absent: chosen from the URL, as Composer's "vcs" type does. */
  type?: VcsType;
  paths?: Partial<Record<SvnPathOption, string | false>>;
  /** A mono-repository: globs of the directories whose composer.json each make a package. */
  monorepo?: string[];
  /** One package of a mono-repository: its directory. */
  subdir?: string;
}

const MARKER = "#vcs=";

export function encodeVcsRepository(repository: VcsRepository): string {
  if (!repository.type) return repository.url;
  const params = new URLSearchParams();
  for (const option of SVN_PATH_OPTIONS) {
    const value = repository.paths?.[option];
    // An empty value stands for false (an empty path means nothing to svn).
    if (value !== undefined) params.set(option, value === false ? "" : value);
  }
  for (const glob of repository.monorepo ?? []) params.append("monorepo", glob);
  if (repository.subdir !== undefined) params.set("subdir", repository.subdir);
  const rest = params.toString();
  return `${repository.url}${MARKER}${repository.type}${rest ? `&${rest}` : ""}`;
}

export function decodeVcsRepository(stored: string): VcsRepository {
  const at = stored.lastIndexOf(MARKER);
  if (at < 0) return { url: stored };
  const params = new URLSearchParams(stored.slice(at + 1));
  const type = params.get("vcs") as VcsType;
  if (!VCS_TYPES.includes(type)) return { url: stored };
  const paths: VcsRepository["paths"] = {};
  for (const option of SVN_PATH_OPTIONS) {
    const value = params.get(option);
    if (value !== null) paths[option] = value === "" ? false : value;
  }
  const monorepo = params.getAll("monorepo");
  const subdir = params.get("subdir");
  return {
    url: stored.slice(0, at),
    type,
    ...(Object.keys(paths).length > 0 ? { paths } : {}),
    ...(monorepo.length > 0 ? { monorepo } : {}),
    ...(subdir !== null ? { subdir } : {}),
  };
}
