// Failures of git mapped to reasons a user can act on, without credentials in the message.
import { describe, expect, it } from "vitest";
import { execGit, redact, remoteFailure } from "./git-exec.ts";

describe("git-exec", () => {
  it("strips user:password@ from URLs and known secrets from messages", () => {
    expect(redact("fatal: unable to access 'https://me:p4ss@host/x.git/'")).toBe("fatal: unable to access 'https://host/x.git/'");
    expect(redact("https://tok@host/a and ssh://git:pw@h/b")).toBe("https://host/a and ssh://h/b");
    expect(redact("token abcd1234 leaked", ["abcd1234"])).toBe("token *** leaked");
  });

  it("maps git's messages to host-key, auth, not-found and unreachable", () => {
    const reason = (stderr: string) => remoteFailure("ssh://git@h/x", stderr).reason;
    expect(reason("Host key verification failed.\nfatal: Could not read from remote repository.")).toBe("host-key");
    expect(reason("@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@")).toBe("host-key");
    expect(reason("git@h: Permission denied (publickey).\nfatal: Could not read from remote repository.")).toBe("auth");
    expect(reason("fatal: could not read Username for 'https://h': terminal prompts disabled")).toBe("auth");
    expect(reason("remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://h/x.git/'")).toBe("auth");
    expect(reason("remote: Repository not found.\nfatal: repository 'https://h/x.git/' not found")).toBe("not-found");
    expect(reason("ERROR: Repository not found.\nfatal: Could not read from remote repository.")).toBe("not-found");
    expect(reason("fatal: unable to access 'https://h/': Could not resolve host: h")).toBe("unreachable");
    const message = remoteFailure("https://u:secret@h/x.git", "fatal: unable to access 'https://u:secret@h/x.git/': Failed to connect").message;
    expect(message).not.toContain("secret");
    expect(message).toContain("Failed to connect");
  });

  it("times out, killing the process", async () => {
    const started = Date.now();
    await expect(execGit({ args: ["cat-file", "--batch"], env: process.env, timeoutMs: 300, input: undefined, cwd: "/" }).then(() => "done")).resolves.toBe("done");
    const hang = execGit({ args: ["-c", "alias.hang=!sleep 5", "hang"], env: process.env, timeoutMs: 300 });
    await expect(hang).rejects.toMatchObject({ reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
