// ONE `git cat-file --batch` process for every object a scan reads (commits, trees, blobs):
// requests are written all at once and answers parsed as they stream back, so reading a
// thousand composer.json files costs one process, not a thousand `git show`s.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { RepositoryError } from "./driver.ts";
import { killGroup } from "./git-exec.ts";

export interface GitObject {
  oid: string;
  type: string;
  size: number;
  /** The object's bytes, or null when it is larger than the request's limit (not buffered). */
  content: Buffer | null;
}

interface Pending {
  maxSize: number;
  resolve: (object: GitObject | null) => void;
}

export class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private buffer = Buffer.alloc(0);
  /** The header of the object being received, and how many of its bytes are still to come. */
  private current: { object: GitObject; parts: Buffer[]; remaining: number } | null = null;
  private failure: RepositoryError | null = null;

  constructor(gitDir: string, env: NodeJS.ProcessEnv) {
    this.child = spawn("git", ["--git-dir", gitDir, "cat-file", "--batch"], { env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.resume();
    this.child.stdin.on("error", () => {});
    this.child.on("error", (error) => this.fail(new RepositoryError("invalid", `cannot run git cat-file: ${error.message}`)));
    this.child.on("close", () => this.fail(new RepositoryError("invalid", "git cat-file exited")));
  }

  /** Reads objects by name (a hex id, or `<id>^{}`), null for each missing one. */
  read(names: readonly string[], maxSize: number, timeoutMs: number): Promise<Array<GitObject | null>> {
    if (names.length === 0) return Promise.resolve([]);
    if (this.failure) return Promise.reject(this.failure);
    for (const name of names) {
      // Names come from git itself (hex ids); a newline would desynchronise the protocol.
      if (/[\n\r]/.test(name)) throw new RepositoryError("invalid", "invalid object name");
    }
    const answers = names.map(
      () => new Promise<GitObject | null>((resolve) => this.pending.push({ maxSize, resolve })),
    );
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => {
        this.fail(new RepositoryError("timeout", `git cat-file timed out after ${Math.round(timeoutMs / 1000)} s`));
        reject(this.failure);
      }, timeoutMs);
      void Promise.all(answers).finally(() => clearTimeout(timer));
    });
    this.child.stdin.write(`${names.join("\n")}\n`);
    const all = Promise.all(answers).then((objects) => {
      if (this.failure) throw this.failure;
      return objects;
    });
    return Promise.race([all, timeout]);
  }

  close(): void {
    this.child.stdin.end();
    killGroup(this.child.pid);
  }

  private fail(error: RepositoryError): void {
    if (this.failure) return;
    this.failure = error;
    killGroup(this.child.pid);
    // Unblock everyone waiting; read() turns the nulls into the failure.
    for (const waiting of this.pending.splice(0)) waiting.resolve(null);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.current) {
        if (!this.takeContent()) return;
        continue;
      }
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString("utf8");
      this.buffer = this.buffer.subarray(newline + 1);
      const waiting = this.pending[0];
      if (!waiting) return this.fail(new RepositoryError("invalid", "unexpected git cat-file output"));
      const match = /^([0-9a-f]+) (\S+) (\d+)$/.exec(header);
      if (!match) {
        // "<name> missing" or "<name> ambiguous"
        this.pending.shift();
        waiting.resolve(null);
        continue;
      }
      const object: GitObject = { oid: match[1], type: match[2], size: Number(match[3]), content: null };
      // The content is followed by a newline of its own.
      this.current = { object, parts: [], remaining: object.size + 1 };
    }
  }

  /** Consumes what has arrived of the current object; true once it is complete. */
  private takeContent(): boolean {
    const current = this.current as NonNullable<CatFileBatch["current"]>;
    const waiting = this.pending[0];
    const take = Math.min(current.remaining, this.buffer.length);
    if (current.object.size <= waiting.maxSize) current.parts.push(this.buffer.subarray(0, take));
    this.buffer = this.buffer.subarray(take);
    current.remaining -= take;
    if (current.remaining > 0) return false;
    if (current.object.size <= waiting.maxSize) {
      current.object.content = Buffer.concat(current.parts).subarray(0, current.object.size);
    }
    this.current = null;
    this.pending.shift();
    waiting.resolve(current.object);
    return true;
  }
}
