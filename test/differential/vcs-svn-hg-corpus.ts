// The Subversion and Mercurial repositories of the VcsRepository differential test, served by
// svnserve and hg serve on 127.0.0.1: the standard and configurable svn layouts (trunk-path,
// branches-path, tags-path, a path turned off), hg branches, bookmarks (one shadowed by a branch)
// and tags, dates with offsets, and the usual skips (no composer.json, broken JSON, bad names,
// exact and unbound requirements on a branch).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { composerJson } from "../../worker-git/src/testing/repo-builder.ts";
import { HgRepo, SvnRepo, startHgServe, startSvnserve, type RunningServer } from "../../worker-git/src/testing/svn-hg.ts";

export interface ServedRepo {
  id: string;
  /** Composer's repository config ({"type", "url", ...options}). */
  composer: Record<string, unknown>;
  /** `satchel-git scan` arguments: the URL and options. */
  args: string[];
}

const json = (name: string, fields: Record<string, unknown> = {}) => composerJson({ name, license: "MIT", require: { php: ">=8.1" }, ...fields });

export async function serveSvnHgCorpus(root: string): Promise<{ repos: ServedRepo[]; stop: () => void }> {
  const svnRoot = path.join(root, "svn");
  const hgRoot = path.join(root, "hg");
  mkdirSync(svnRoot, { recursive: true });
  mkdirSync(hgRoot, { recursive: true });
  buildStandardSvn(svnRoot);
  buildCustomSvn(svnRoot);
  buildNoTagsSvn(svnRoot);
  const hgDir = buildHg(hgRoot);
  const servers: RunningServer[] = [];
  try {
    servers.push(await startSvnserve(svnRoot));
    servers.push(await startHgServe(hgRoot, { lib: hgDir }));
  } catch (error) {
    for (const server of servers) server.stop();
    throw error;
  }
  const [svn, hg] = servers;
  const repos: ServedRepo[] = [
    { id: "svn-standard", composer: { type: "svn", url: `${svn.url}/standard` }, args: [`${svn.url}/standard`] },
    // The trunk URL itself: the base is what precedes "/trunk".
    { id: "svn-trunk-url", composer: { type: "vcs", url: `${svn.url}/standard/trunk` }, args: [`${svn.url}/standard/trunk`] },
    {
      id: "svn-custom",
      composer: { type: "svn", url: `${svn.url}/custom`, "trunk-path": "Main", "branches-path": "Lines", "tags-path": "Releases/stable" },
      args: [`${svn.url}/custom`, "--type", "svn", "--trunk-path", "Main", "--branches-path", "Lines", "--tags-path", "Releases/stable"],
    },
    {
      id: "svn-no-branches",
      composer: { type: "svn", url: `${svn.url}/nobranches`, "branches-path": false },
      args: [`${svn.url}/nobranches`, "--type", "svn", "--branches-path", "false"],
    },
    { id: "hg", composer: { type: "hg", url: `${hg.url}/lib` }, args: [`${hg.url}/lib`, "--type", "hg"] },
  ];
  return { repos, stop: () => servers.forEach((server) => server.stop()) };
}

function buildStandardSvn(root: string): void {
  const svn = new SvnRepo(root, "standard", ["trunk", "branches", "tags"]);
  svn.commit("trunk", { "composer.json": json("acme/svn-lib", { description: "first" }), "src/A.php": "<?php\n" });
  svn.copy("trunk", "tags/1.0.0");
  svn.commit("trunk", { "composer.json": json("acme/svn-lib", { description: "second", time: "2021-02-03 04:05:06" }) });
  svn.copy("trunk", "tags/v1.1.0");
  svn.copy("trunk", "tags/release-1.2.0");
  svn.copy("trunk", "tags/not-a-version");
  svn.copy("trunk", "branches/1.x");
  svn.copy("trunk", "branches/feature-x");
  // Exact and unbound requirements on a branch and a tag: no warnings with Packagist's loader.
  svn.commit("branches/feature-x", { "composer.json": json("acme/svn-lib", { require: { "acme/a": "1.0.0", "acme/b": "*" } }) });
  svn.copy("branches/feature-x", "tags/2.0.0");
  // A real warning still refuses a branch; broken JSON and a missing composer.json skip a ref.
  svn.copy("trunk", "branches/warned");
  svn.commit("branches/warned", { "composer.json": json("acme/svn-lib", { homepage: "not a url" }) });
  svn.commit("tags/2.1.0", { "README.md": "no composer.json\n" });
  svn.commit("tags/2.2.0", { "composer.json": '{"name": "acme/svn-lib",' });
  // `svn ls` lines are split on whitespace: a name with a space is read by its last word only,
  // and a file beside the tags is listed as a tag.
  svn.copy("trunk", "branches/my feature");
  svn.copy("trunk", "tags/3.0.0 final");
  svn.commit("tags", { "NOTES.txt": "not a tag\n" });
  svn.commit("trunk", { "composer.json": json("acme/svn-lib", { description: "trunk now" }) });
}

function buildCustomSvn(root: string): void {
  const svn = new SvnRepo(root, "custom", ["Main", "Lines", "Releases/stable", "trunk", "tags"]);
  svn.commit("Main", { "composer.json": json("acme/svn-custom") });
  svn.copy("Main", "Releases/stable/3.0.0");
  svn.copy("Main", "Lines/3.x");
  // The default names hold nothing Composer reads here.
  svn.commit("trunk", { "composer.json": json("acme/not-this") });
  svn.copy("trunk", "tags/9.9.9");
}

function buildNoTagsSvn(root: string): void {
  const svn = new SvnRepo(root, "nobranches", ["trunk", "branches", "tags"]);
  svn.commit("trunk", { "composer.json": json("acme/svn-nobranches") });
  svn.copy("trunk", "branches/2.x");
  svn.copy("trunk", "tags/4.0.0");
}

function buildHg(root: string): string {
  const hg = new HgRepo(path.join(root, "lib"));
  hg.commit({ "composer.json": json("acme/hg-lib", { description: "one" }), "src/A.php": "<?php\n" }, "2024-01-02 03:04:05 +0200");
  hg.hg("tag", "-d", "2024-01-02 03:05:00 +0200", "1.0.0");
  hg.commit({ "composer.json": json("acme/hg-lib", { description: "two", time: "2022-02-02T02:02:02+00:00" }), "src/A.php": "<?php\n" }, "2024-02-03 10:00:00 -0500");
  hg.hg("tag", "-d", "2024-02-03 10:01:00 -0500", "v1.1.0");
  hg.hg("tag", "-d", "2024-02-03 10:02:00 -0500", "not-a-version");
  hg.hg("bookmark", "-i", "feature");
  hg.hg("branch", "-q", "1.x");
  hg.commit({ "composer.json": json("acme/hg-lib", { description: "1.x line", require: { "acme/a": "2.0.0", "acme/b": ">=1" } }), "src/A.php": "<?php\n" }, "2024-03-04 05:06:07 +0000");
  // A closed branch: `hg branches` leaves it out, so does Composer.
  hg.hg("branch", "-q", "old");
  hg.commit({ "composer.json": json("acme/hg-lib", { description: "old line" }), "src/A.php": "<?php\n" }, "2024-03-05 00:00:00 +0000");
  hg.hg("commit", "-q", "--close-branch", "-d", "2024-03-06 00:00:00 +0000", "-m", "close old");
  hg.hg("update", "-q", "default");
  hg.commit({ "README.md": "no composer.json on this head\n", "src/A.php": "<?php\n" }, "2024-04-05 06:07:08 +0100");
  hg.hg("tag", "-d", "2024-04-05 06:08:00 +0100", "2.0.0");
  hg.commit({ "composer.json": json("acme/hg-lib", { description: "tip" }), "src/A.php": "<?php\n" }, "2024-05-06 07:08:09 +0300");
  // A bookmark named like a branch: the branch wins.
  hg.hg("bookmark", "--force", "-i", "-r", "0", "default");
  return hg.dir;
}
