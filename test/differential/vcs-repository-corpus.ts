// The git repositories the VcsRepository differential test feeds to both Composer and Satchel:
// every way a tag or branch becomes a version or is skipped, plus one repository shaped like a
// long-lived real package (hundreds of tags, maintenance branches).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { RepoBuilder, composerJson, git } from "../../worker-git/src/testing/repo-builder.ts";

export interface CorpusRepo {
  id: string;
  path: string;
  /** True when Composer finds no version at all (it throws; `satchel-git scan` exits 1). */
  empty?: boolean;
}

const NOW = Math.floor(Date.now() / 1000);
const OLD = 1_500_000_000;

export function buildVcsCorpus(root: string): CorpusRepo[] {
  mkdirSync(root, { recursive: true });
  const repos = [tagsRepo, branchesRepo, linksRepo, renamedRepo, noRootRepo, emptyRepo, realWorldRepo];
  return repos.map((build) => build(root));
}

function tagsRepo(root: string): CorpusRepo {
  const dir = path.join(root, "tags");
  const b = new RepoBuilder();
  const base = { name: "acme/tags", license: "MIT", require: { php: ">=8.1" } };
  let parent: number | null = null;
  const at = (files: Record<string, string | { symlink: string }>, extra: { authorTime?: number } = {}) =>
    (parent = b.commit({ parent, files, ...extra }));
  const tagged = (name: string, fields: Record<string, unknown> = {}, options: { annotated?: boolean } = {}) => {
    b.tag(name, at({ "composer.json": composerJson({ ...base, description: `release ${name}`, ...fields }) }), options);
  };
  // Prefixes, release-, pre-releases, patches, dates, annotated and lightweight.
  tagged("v1.0.0", {}, { annotated: true });
  tagged("1.0.0");
  tagged("v1.1");
  tagged("v1.1.0", {}, { annotated: true });
  tagged("01.0.0");
  tagged("v2.0.0-RC.2");
  tagged("release-1.2.0");
  tagged("1.5.0-release-beta1");
  for (const name of ["v2.0.0-alpha1", "v2.0.0-alpha.2", "v2.0.0-beta1", "v2.0.0-b2", "v2.0.0-RC1", "2.0.0-rc.2", "v2.0.0"]) tagged(name, {}, { annotated: name.startsWith("v") });
  for (const name of ["1.0.0-p1", "1.0.0-patch2", "1.0.0-pl3", "1.0.0.1", "20240101", "2024.01.02", "2024-01-03", "v2024.02.01-beta", "v1.0.0+build.5"]) tagged(name);
  // Names that do not make tag versions.
  for (const name of ["1.0.0-dev", "dev-foo", "3.0.x-dev", "foo", "latest", "v1.x", "v7.0.0-\u00fc"]) tagged(name);
  // composer.json `version`: disagreeing, agreeing differently, with -dev, invalid, a number.
  tagged("v3.0.0", { version: "3.0.1" });
  tagged("v3.1.0", { version: "3.1" });
  tagged("3.2.0", { version: "3.2.0-dev" });
  tagged("3.3.0", { version: "abc" });
  tagged("4", { version: 4 });
  // composer.json missing, broken, blank, not an object, a symlink, a directory.
  b.tag("5.0.0", at({ "README.md": "no composer.json\n" }));
  b.tag("5.1.0", at({ "composer.json": '{"name": "acme/tags",}' }));
  b.tag("5.2.0", at({ "composer.json": "" }));
  b.tag("5.2.1", at({ "composer.json": "  \n" }));
  b.tag("5.2.2", at({ "composer.json": "0" }));
  b.tag("5.2.3", at({ "composer.json": "{}" }));
  b.tag("5.2.4", at({ "composer.json": "[]" }));
  b.tag("5.2.5", at({ "composer.json": '"acme/tags"' }));
  b.tag("5.2.6", at({ "composer.json": "[1, 2]" }));
  b.tag("5.3.0", at({ "composer.json": `\ufeff${composerJson(base)}` }));
  b.tag("5.4.0", at({ "composer.json": { symlink: "real.json" }, "real.json": composerJson(base) }));
  b.tag("5.5.0", at({ "composer.json/x": "dir\n" }));
  // Validation: an error skips a tag, a warning only drops the field.
  tagged("5.6.0", { require: { "foo/bar": "~~nope" } });
  tagged("5.7.0", { homepage: "not a url", keywords: ["ok", "b@d"] });
  // Exact and unbound requirements: CHECK_ALL would warn, Packagist's loader (flags 0) does not.
  tagged("5.7.1", { require: { "acme/x": "1.0.0", "acme/y": "==2.0.0", "acme/z": "=3.1" } });
  tagged("5.7.2", { require: { "acme/x": "*", "acme/y": ">=1.0", "acme/z": "dev-main" } });
  // Release times: composer.json wins; else the AUTHOR date of the commit.
  tagged("5.8.0", { time: "2020-01-02 03:04:05" });
  tagged("5.8.1", { time: "2021-05-06T07:08:09+02:00" });
  b.tag("5.8.2", at({ "composer.json": composerJson(base) }, { authorTime: OLD }));
  // The default branch names every version; default-branch is never a tag's.
  tagged("5.9.0", { name: undefined });
  tagged("6.0.0", { name: "acme/other" });
  tagged("6.1.0", { "default-branch": true });
  tagged("v6.2.0", { extra: { "branch-alias": { "dev-main": "6.x-dev" }, other: [1, 2] } }, { annotated: true });
  const main = at({ "composer.json": composerJson({ ...base, description: "main" }) });
  b.branch("main", main);
  b.write(dir, "main");
  // A tag of a tag: show-ref --dereference peels it to the commit.
  git(dir, ["-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "nested", "6.3.0", "v6.2.0"]);
  return { id: "tags", path: dir };
}

function branchesRepo(root: string): CorpusRepo {
  const dir = path.join(root, "branches");
  const b = new RepoBuilder();
  const json = (fields: Record<string, unknown>) => composerJson({ name: "acme/branches", license: "MIT", ...fields });
  const on = (name: string, files: Record<string, string>, time?: number) => b.branch(name, b.commit({ files, time }));
  // A non-master default branch, with a branch alias; master aliased too.
  on("develop", { "composer.json": json({ extra: { "branch-alias": { "dev-develop": "3.x-dev" } } }) });
  on("master", { "composer.json": json({ extra: { "branch-alias": { "dev-master": "2.x-dev" } } }) });
  for (const name of ["1.x", "2.0", "v3.x", "4.0.x", "1.2.3.4", "1.X", "v1.x", "V5.x", "6.x"]) on(name, { "composer.json": json({ description: `branch ${name}` }) });
  for (const name of ["feature/foo", "feat#12", "fix,comma", "a|b", "\u00fcber", "trunk", "default", "x/HEAD", "-dash", "dependabot/composer/foo", "renovate/bar"]) {
    on(name, { "composer.json": json({ description: `branch ${name}` }) });
  }
  on("gh-pages", { "index.html": "<html></html>\n" });
  on("broken", { "composer.json": '{"name": "acme/branches"' });
  on("nocomposer", { "README.md": "nothing\n" });
  // A warning refuses a branch (InvalidPackageException), an error too.
  on("warn", { "composer.json": json({ keywords: ["b@d"] }) });
  // Unbound and exact requirements are no warnings for Packagist's loader (flags 0): kept.
  on("unbound", { "composer.json": json({ require: { "acme/x": "*" } }) });
  on("unbound-ge", { "composer.json": json({ require: { "acme/x": ">=1.0", "acme/y": "*@dev" } }) });
  on("exact", { "composer.json": json({ require: { "acme/x": "1.0.0", "acme/y": "==2.0.0" } }) });
  on("2.5.x", { "composer.json": json({ require: { "acme/x": "=2.5.1", "php": "8.1.0" } }) });
  on("exact-and-warn", { "composer.json": json({ require: { "acme/x": "1.0.0" }, homepage: "not a url" }) });
  on("error", { "composer.json": json({ require: { "acme/x": "nope nope" } }) });
  // Branches are always versioned by name; composer.json time still wins.
  on("versioned", { "composer.json": json({ version: "9.9.9", time: "2019-09-09" }) });
  on("old", { "composer.json": json({ description: "old commit" }) }, OLD);
  b.write(dir, "develop");
  return { id: "branches", path: dir };
}

function linksRepo(root: string): CorpusRepo {
  const dir = path.join(root, "links");
  const b = new RepoBuilder();
  const links = {
    name: "acme/links",
    license: ["MIT", "GPL-2.0-or-later"],
    require: { php: "^8.1", "ext-json": "*", "acme/lib": "self.version" },
    "require-dev": { "phpunit/phpunit": "^10", "acme/lib-dev": "self.version" },
    conflict: { "acme/bad": "<1.2" },
    provide: { "psr/log-implementation": "1.0|2.0" },
    replace: { "acme/old": "self.version" },
    suggest: { "ext-intl": "for locales", "acme/extra": "self.version" },
    autoload: { "psr-4": { "Acme\\Links\\": "src/" } },
    bin: ["bin/tool"],
    authors: [{ name: "A", email: "a@example.com", homepage: "https://example.com" }],
    support: { issues: "https://example.com/issues" },
    funding: [{ type: "github", url: "https://github.com/sponsors/acme" }],
  };
  const main = b.commit({ files: { "composer.json": composerJson(links) } });
  b.tag("v1.0.0", main, { annotated: true });
  b.tag("v1.1.0", b.commit({ parent: main, files: { "composer.json": composerJson({ ...links, replace: { "acme/bad": "*" } }) } }));
  b.tag("v1.2.0", b.commit({ parent: main, files: { "composer.json": composerJson({ ...links, require: { "acme/x": "*", "acme/y": "1.0.0" } }) } }));
  b.tag("v1.3.0", b.commit({ parent: main, files: { "composer.json": composerJson({ ...links, require: { "Acme/Upper": "^1.0" } }) } }));
  b.branch("exact", b.commit({ parent: main, files: { "composer.json": composerJson({ ...links, require: { "acme/y": "1.0.0" } }) } }));
  b.branch("main", main);
  b.write(dir, "main");
  return { id: "links", path: dir };
}

function renamedRepo(root: string): CorpusRepo {
  const dir = path.join(root, "renamed");
  const b = new RepoBuilder();
  let parent: number | null = null;
  for (const version of ["1.0.0", "1.1.0", "2.0.0"]) {
    parent = b.commit({ parent, files: { "composer.json": composerJson({ name: "acme/old-name", description: version }) } });
    b.tag(version, parent);
  }
  b.branch("main", b.commit({ parent, files: { "composer.json": composerJson({ name: "acme/new-name" }) } }));
  b.write(dir, "main");
  return { id: "renamed", path: dir };
}

function noRootRepo(root: string): CorpusRepo {
  const dir = path.join(root, "no-root");
  const b = new RepoBuilder();
  b.tag("1.0.0", b.commit({ files: { "composer.json": composerJson({ name: "acme/a" }) } }));
  b.tag("v1.0.0", b.commit({ files: { "composer.json": composerJson({ name: "acme/b" }) } }));
  b.tag("release-1.0.0", b.commit({ files: { "composer.json": composerJson({ name: "ACME/A" }) } }));
  b.branch("other", b.commit({ files: { "composer.json": composerJson({ name: "acme/a" }) } }));
  b.branch("main", b.commit({ files: { "README.md": "no composer.json on the default branch\n" } }));
  b.write(dir, "main");
  return { id: "no-root", path: dir };
}

function emptyRepo(root: string): CorpusRepo {
  const dir = path.join(root, "empty");
  const b = new RepoBuilder();
  const commit = b.commit({ files: { "README.md": "nothing\n" } });
  b.tag("1.0.0", commit).branch("main", commit);
  b.write(dir, "main");
  return { id: "empty", path: dir, empty: true };
}

/** Five major lines, tags on all of them, maintenance branches, a few feature branches. */
function realWorldRepo(root: string): CorpusRepo {
  const dir = path.join(root, "real-world");
  const b = new RepoBuilder();
  const json = (major: number, note: string) =>
    composerJson({
      name: "acme/framework",
      description: `The Acme framework (${note})`,
      type: "library",
      keywords: ["framework", "acme", `v${major}`],
      license: "MIT",
      require: { php: major >= 3 ? ">=8.1" : ">=7.4", "psr/log": major > 2 ? "^2.0|^3.0" : "^1.0" },
      "require-dev": { "phpunit/phpunit": `^${8 + major}` },
      autoload: { "psr-4": { "Acme\\Framework\\": "src/" } },
      extra: { "branch-alias": { "dev-main": "6.x-dev" } },
    });
  let tip: number | null = null;
  let clock = NOW - 400 * 86_400;
  for (let major = 1; major <= 5; major++) {
    let line: number | null = tip;
    for (let minor = 0; minor < 6; minor++) {
      for (let patch = 0; patch < 10; patch++) {
        const name = `${major}.${minor}.${patch}`;
        line = b.commit({ parent: line, files: { "composer.json": json(major, name), "src/Kernel.php": `<?php // ${name}\n` }, time: (clock += 3600) });
        const tagName = major >= 3 ? `v${name}` : name;
        b.tag(tagName, line, { annotated: patch % 3 === 0 });
        if (patch === 0 && minor === 0) b.tag(`${tagName}-RC1`, line);
      }
    }
    b.branch(`${major}.x`, line as number);
    tip = line;
  }
  b.branch("main", b.commit({ parent: tip, files: { "composer.json": json(6, "main") }, time: (clock += 3600) }));
  b.branch("feature/new-router", b.commit({ parent: tip, files: { "composer.json": json(6, "router") }, time: (clock += 3600) }));
  b.write(dir, "main");
  return { id: "real-world", path: dir };
}
