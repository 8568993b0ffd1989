// GitSession: secrets live in a private temp dir for as long as the session, and git never sees
// the user's configuration.
import { existsSync, readFileSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GitSession } from "./git-auth.ts";

describe("GitSession", () => {
  it("writes the ssh key 0600 in a 0700 dir, points ssh at it, and removes everything on dispose", async () => {
    const session = await GitSession.create({ sshKey: "-----BEGIN KEY-----\nabc\n-----END KEY-----", knownHosts: "host ssh-ed25519 AAAA\n" }, "/nonexistent/known_hosts");
    const key = `${session.dir}/id_key`;
    expect(statSync(session.dir).mode & 0o777).toBe(0o700);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, "utf8").endsWith("-----END KEY-----\n")).toBe(true);
    const ssh = session.env.GIT_SSH_COMMAND ?? "";
    expect(ssh).toContain(`-i ${key}`);
    expect(ssh).toContain("StrictHostKeyChecking=yes");
    expect(ssh).toContain(`UserKnownHostsFile=${session.dir}/known_hosts`);
    expect(ssh).toContain("-F /dev/null");
    await session.dispose();
    expect(existsSync(session.dir)).toBe(false);
  });

  it("accepts new host keys into the cache's known_hosts by default, and never offers the server's own keys", async () => {
    const session = await GitSession.create({}, "/cache/known_hosts");
    const ssh = session.env.GIT_SSH_COMMAND ?? "";
    expect(ssh).toContain("StrictHostKeyChecking=accept-new");
    expect(ssh).toContain("UserKnownHostsFile=/cache/known_hosts");
    expect(ssh).toContain("PubkeyAuthentication=no");
    expect(ssh).toContain("IdentityAgent=none");
    await session.dispose();
  });

  it("runs git without the user's config or prompts; askpass answers only with given credentials", async () => {
    const session = await GitSession.create({ httpToken: { username: "deploy", password: "tok-123" } }, "/x");
    expect(session.env).toMatchObject({ GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" });
    expect(session.env.HOME?.startsWith(session.dir)).toBe(true);
    expect(session.env.GIT_DIR).toBeUndefined();
    const ask = (prompt: string, env: NodeJS.ProcessEnv) => spawnSync(session.env.GIT_ASKPASS as string, [prompt], { env, encoding: "utf8" });
    expect(ask("Username for 'https://host': ", session.env).stdout).toBe("deploy\n");
    expect(ask("Password for 'https://deploy@host': ", session.env).stdout).toBe("tok-123\n");
    expect(session.secrets).toEqual(["tok-123"]);
    const anonymous = await GitSession.create({}, "/x");
    expect(ask("Username for 'https://host': ", anonymous.env).status).toBe(1);
    await Promise.all([session.dispose(), anonymous.dispose()]);
  });
});
