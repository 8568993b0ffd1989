// Real git repositories for tests and benchmarks, written by ONE `git fast-import` process (a
// thousand tagged commits take well under a second, where `git commit` per tag would take many).
// Dates are explicit, so the repositories are reproducible.
import { spawnSync } from "node:child_process";

export type FileSpec = string | { symlink: string } | { submodule: string } | { bytes: Uint8Array } | { executable: string };

export interface CommitSpec {
  /** The commit's whole tree: path -> content. */
  files: Record<string, FileSpec>;
  /** A mark from this builder, a commit id already in the repository, or none (a root commit). */
  parent?: Ref | null;
  /** Committer time (seconds); defaults to a steadily increasing clock. */
  time?: number;
  /** Author time (seconds); defaults to the committer time. */
  authorTime?: number;
  message?: string;
}

/** A commit made by this builder (its mark) or an existing commit id. */
export type Ref = number | string;

const BASE_TIME = 1_700_000_000;

/** The environment fixture git commands run in: none of the user's configuration. */
export const FIXTURE_GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
};

export function git(dir: string, args: readonly string[], input?: string | Buffer): string {
  const result = spawnSync("git", ["-C", dir, ...args], { env: FIXTURE_GIT_ENV, input, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr?.toString()}`);
  return result.stdout.toString();
}

export class RepoBuilder {
  private readonly chunks: Buffer[] = [];
  private marks = 0;
  private clock = BASE_TIME;

  commit(spec: CommitSpec): number {
    const mark = ++this.marks;
    const time = spec.time ?? (this.clock += 60);
    const message = spec.message ?? `commit ${mark}\n`;
    if (spec.parent === undefined || spec.parent === null) this.text("reset refs/fixture/scratch\n");
    this.text(`commit refs/fixture/scratch\nmark :${mark}\n`);
    this.text(`author A U Thor <author@example.com> ${spec.authorTime ?? time} +0000\n`);
    this.text(`committer C O Mitter <committer@example.com> ${time} +0000\n`);
    this.data(message);
    if (spec.parent !== undefined && spec.parent !== null) this.text(`from ${refOf(spec.parent)}\n`);
    this.text("deleteall\n");
    for (const [path, file] of Object.entries(spec.files)) {
      if (typeof file === "string") this.inline("100644", path, file);
      else if ("symlink" in file) this.inline("120000", path, file.symlink);
      else if ("executable" in file) this.inline("100755", path, file.executable);
      else if ("bytes" in file) this.inline("100644", path, Buffer.from(file.bytes));
      else this.text(`M 160000 ${file.submodule} ${path}\n`);
    }
    this.text("\n");
    return mark;
  }

  branch(name: string, at: Ref): this {
    this.text(`reset refs/heads/${name}\nfrom ${refOf(at)}\n\n`);
    return this;
  }

  tag(name: string, at: Ref, options: { annotated?: boolean; message?: string; time?: number } = {}): this {
    if (!options.annotated) {
      this.text(`reset refs/tags/${name}\nfrom ${refOf(at)}\n\n`);
      return this;
    }
    this.text(`tag ${name}\nfrom ${refOf(at)}\ntagger T Agger <tagger@example.com> ${options.time ?? (this.clock += 1)} +0000\n`);
    this.data(options.message ?? `release ${name}\n`);
    return this;
  }

  /** Writes everything into `dir` (created with `git init` when it is not a repository yet). */
  write(dir: string, head?: string): void {
    const isRepo = spawnSync("git", ["-C", dir, "rev-parse", "--git-dir"], { env: FIXTURE_GIT_ENV }).status === 0;
    if (!isRepo) git(".", ["init", "-q", dir]);
    git(dir, ["fast-import", "--quiet", "--force"], Buffer.concat(this.chunks));
    this.chunks.length = 0;
    spawnSync("git", ["-C", dir, "update-ref", "-d", "refs/fixture/scratch"], { env: FIXTURE_GIT_ENV });
    if (head) git(dir, ["symbolic-ref", "HEAD", `refs/heads/${head}`]);
  }

  private text(text: string): void {
    this.chunks.push(Buffer.from(text, "utf8"));
  }

  private data(content: string | Buffer): void {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    this.text(`data ${bytes.length}\n`);
    this.chunks.push(bytes);
    this.text("\n");
  }

  private inline(mode: string, path: string, content: string | Buffer): void {
    this.text(`M ${mode} inline ${path}\n`);
    this.data(content);
  }
}

function refOf(ref: Ref): string {
  return typeof ref === "number" ? `:${ref}` : ref;
}

/** A composer.json text for fixtures. */
export function composerJson(fields: Record<string, unknown>): string {
  return `${JSON.stringify(fields, null, 4)}\n`;
}
