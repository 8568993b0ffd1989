// `satchel-git scan <repository-url-or-path>` (git, Subversion or Mercurial): every version the
// repository yields, as a JSON array on stdout, each entry expanded exactly as it will appear in
// p2 metadata (`source.url` as the driver publishes it, the dist URL a placeholder until the edge
// serves it). Progress goes to stderr, and only to a terminal. Local paths are always allowed
// here. https credentials come from the environment (SATCHEL_GIT_USERNAME /
// SATCHEL_GIT_PASSWORD), never from the command line.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { GitCliDriver } from "../drivers/git-cli.ts";
import { redact } from "../drivers/git-exec.ts";
import { scanRepository } from "../scan/scan-repository.ts";
import { createVcsDriver } from "../drivers/vcs-kind.ts";
import { SVN_PATH_OPTIONS, VCS_TYPES, type VcsRepository, type VcsType } from "../../../src/packages/vcs-repository.ts";

const HELP = `usage: satchel-git scan <repository-url-or-path> [options]

  --type <git|svn|hg>   the repository's kind (default: from the URL, as Composer's "vcs" type;
                        Subversion and Mercurial over http(s) need it)
  --trunk-path <path>, --branches-path <path>, --tags-path <path>
                        Subversion layout (Composer's repository options; "false" for none)

  --keep-bot-branches   also read dependabot/, renovate/, gh-readonly-queue/ and gh-pages
                        (Composer does; packagist.org and the Satchel worker skip them)
  --skipped             list the refs that yield no version, with the reason, on stderr
  --cache-dir <dir>     mirror cache (default $SATCHEL_GIT_CACHE or <tmp>/satchel-git-cache)
  --ssh-key <file>      private key for ssh URLs
  --known-hosts <file>  require the host key to be in this file (default: accept a new host)`;

export async function scanCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "keep-bot-branches": { type: "boolean" },
        type: { type: "string" },
        "trunk-path": { type: "string" },
        "branches-path": { type: "string" },
        "tags-path": { type: "string" },
        skipped: { type: "boolean" },
        "cache-dir": { type: "string" },
        "ssh-key": { type: "string" },
        "known-hosts": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail("scan needs exactly one repository URL or path (see --help)");
  const url = positionals[0];
  const tty = process.stderr.isTTY === true;
  const progress = (message: string) => {
    if (tty) process.stderr.write(`${message}\n`);
  };

  const password = process.env.SATCHEL_GIT_PASSWORD;
  const type = values.type;
  if (type !== undefined && !(VCS_TYPES as readonly string[]).includes(type)) return fail(`--type must be one of ${VCS_TYPES.join(", ")}`);
  const paths: VcsRepository["paths"] = {};
  for (const option of SVN_PATH_OPTIONS) {
    const value = values[option];
    if (value !== undefined) paths[option] = value === "false" ? false : value;
  }
  const repository: VcsRepository = { url, ...(type ? { type: type as VcsType } : {}), paths };
  const driver = createVcsDriver(repository, { cacheDir: values["cache-dir"], username: process.env.SATCHEL_GIT_USERNAME, password }) ?? new GitCliDriver({
    url,
    cacheDir: values["cache-dir"],
    sshKey: values["ssh-key"] ? await readFile(values["ssh-key"], "utf8") : undefined,
    knownHosts: values["known-hosts"] ? await readFile(values["known-hosts"], "utf8") : undefined,
    httpToken: password ? { username: process.env.SATCHEL_GIT_USERNAME || "x-access-token", password } : undefined,
  });
  try {
    progress(`Fetching ${redact(url)}`);
    await driver.open();
    const result = await scanRepository(driver, { sourceUrl: driver.source.url, skipBotBranches: !values["keep-bot-branches"], onProgress: progress });
    if (values.skipped || tty) {
      for (const skip of result.skipped) process.stderr.write(`skipped ${skip.kind} ${skip.name}: ${skip.reason}\n`);
    }
    if (result.versions.length === 0) {
      return fail(`No valid composer.json was found in any branch or tag of ${redact(url)}, could not load a package from it.`);
    }
    await write(`${JSON.stringify(result.versions.map((version) => version.entry), null, 2)}\n`);
    return 0;
  } catch (error) {
    return fail(redact(error instanceof Error ? error.message : String(error), password ? [password] : []));
  } finally {
    await driver.close();
  }
}

function fail(message: string): number {
  process.stderr.write(`satchel-git scan: ${message.split("\n")[0]}\n`);
  return 1;
}

function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
