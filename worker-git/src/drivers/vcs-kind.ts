// Which driver reads a repository: the package's explicit `type`, else the URL, in the order
// Composer's "vcs" repository tries its drivers (git before hg before svn; GitDriver::supports(),
// HgDriver::supports(), SvnDriver::supports()), with a look at the disk for local paths. An http(s)
// URL that names neither is git: Subversion and Mercurial servers over http need `"type"`.
import { existsSync } from "node:fs";
import path from "node:path";
import type { VcsRepository, VcsType } from "../../../src/packages/vcs-repository.ts";
import type { RepositoryDriver } from "./driver.ts";
import { isLocalRepositoryUrl } from "./git-mirror.ts";
import { HgDriver } from "./hg.ts";
import { SvnDriver } from "./svn.ts";

const GIT_URL = /(^git:\/\/|\.git\/?$|git(?:olite)?@|\/\/git\.|\/\/github\.com\/)/i;
const HG_URL = /(^(?:https?|ssh):\/\/(?:[^@]+@)?bitbucket\.org|https:\/\/(?:.*?)\.kilnhg\.com)/i;
const SVN_URL = /(^svn:\/\/|^svn\+ssh:\/\/|svn\.)/i;

export function vcsKindFor(repository: VcsRepository): VcsType {
  if (repository.type) return repository.type;
  const { url } = repository;
  if (GIT_URL.test(url)) return "git";
  if (isLocalRepositoryUrl(url)) {
    const dir = path.resolve(url.replace(/^file:\/\//i, ""));
    if (existsSync(path.join(dir, ".git")) || existsSync(path.join(dir, "HEAD"))) return "git";
    if (existsSync(path.join(dir, ".hg"))) return "hg";
    if (existsSync(path.join(dir, "format")) && existsSync(path.join(dir, "db"))) return "svn";
    return "git";
  }
  if (HG_URL.test(url)) return "hg";
  if (SVN_URL.test(url)) return "svn";
  return "git";
}

export interface VcsDriverOptions {
  cacheDir?: string;
  /** http-basic credentials. */
  username?: string;
  password?: string;
}

/** The svn or hg driver for the repository, or null when git reads it. */
export function createVcsDriver(repository: VcsRepository, options: VcsDriverOptions = {}): RepositoryDriver | null {
  const kind = vcsKindFor(repository);
  if (kind === "svn") {
    const local = isLocalRepositoryUrl(repository.url) && !/^file:/i.test(repository.url);
    const url = local ? path.resolve(repository.url) : repository.url;
    return new SvnDriver({ url, paths: repository.paths, cacheDir: options.cacheDir, username: options.username, password: options.password });
  }
  if (kind === "hg") return new HgDriver({ url: repository.url, cacheDir: options.cacheDir, username: options.username, password: options.password });
  return null;
}
