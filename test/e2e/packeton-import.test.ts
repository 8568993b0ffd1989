// `satchel import packeton` from a local server answering in Packeton's REST shapes into
// `npm run serve` with its git worker: a refused token imports nothing; a Packeton 502 midway
// stops the import, and the same command resumes it without duplicating anything; the imported
// customer then installs what their group grants with the real `composer`, and nothing else.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startFakePacketon, type FakePacketon } from "../support/packeton-server.ts";
import { startSatchel, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = composerAvailable();
if (!hasComposer && process.env.CI === "true") throw new Error("composer is required on CI (apt-get install composer php-cli php-zip unzip)");

const BIN = path.resolve(import.meta.dirname, "../../bin/satchel.js");
const PACKETON_ADMIN = "admin:packeton-admin-api-token";

function satchelCli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

function artifactZip(name: string, version: string): Uint8Array {
  return zipSync({ "composer.json": strToU8(JSON.stringify({ name, version, autoload: { "psr-4": { "Legacy\\Tool\\": "src/" } } })), "src/Tool.php": strToU8("<?php\n") });
}

describe.skipIf(!hasComposer)("satchel import packeton", () => {
  let root: string;
  let daemon: GitServer;
  let packeton: FakePacketon;
  let satchel: SatchelProcess;
  let admin: string;
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const importArgs = () => ["import", "packeton", "--from", packeton.url, "--into", satchel.url];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "satchel-packeton-"));
    daemon = await startGitDaemon(root);
    for (const name of ["core", "extra"]) {
      const repo = await createRepository(root, `${name}.git`);
      await repo.release({ name: `acme/${name}`, autoload: { "psr-4": { [`Acme\\${name}\\`]: "src/" } } }, "v1.2.0", { "src/A.php": "<?php\n" });
    }
    const filler = Array.from({ length: 29 }, (_, i) => ({ id: 100 + i, username: `filler-${i}`, email: `filler-${i}@example.test`, roles: [], groups: [] }));
    packeton = await startFakePacketon(
      {
        vcs: { "acme/core": daemon.url("core.git"), "acme/extra": daemon.url("extra.git") },
        artifacts: { "legacy/tool": { "2.0.0": artifactZip("legacy/tool", "2.0.0") } },
        groups: [{ id: 7, name: "Customer A", packages: ["acme/core", "legacy/tool"] }],
        users: [
          ...filler,
          { id: 200, username: "customer-a", email: "a@customer.test", roles: [], groups: [7], expireAt: "2030-01-31T00:00:00+00:00", expiredUpdatesAt: "2029-06-30T00:00:00+00:00" },
          { id: 201, username: "dev-b", email: "b@acme.test", roles: ["ROLE_MAINTAINER"], groups: [], enabled: false },
        ],
      },
      PACKETON_ADMIN,
    );
    satchel = await startSatchel("node");
    admin = await satchel.adminToken();
  }, 120_000);

  afterAll(async () => {
    await satchel?.stop();
    await packeton?.stop();
    await daemon?.stop();
  });

  it("refuses a wrong Packeton token with the reason and imports nothing", async () => {
    const run = await satchelCli(importArgs(), { SATCHEL_TOKEN: admin, PACKETON_TOKEN: "admin:wrong-token" });
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/nothing imported: Packeton refused the token \(HTTP 401/);
    expect((await api("GET", "/api/packages")).body.packages).toEqual([]);
    expect((await api("GET", "/api/groups")).body.groups).toEqual([]);
    expect(((await api("GET", "/api/users")).body.users as unknown[]).length).toBe(1);
  });

  it("stops on a Packeton 502 midway, resumes with the same command, and a third run adds nothing", async () => {
    packeton.failOnce.add("/zipball/legacy/tool/2.0.0.zip");
    // The tokens as the flags give them: each --token belongs to the --from or --into before it.
    const first = await satchelCli(["import", "packeton", "--from", packeton.url, "--token", PACKETON_ADMIN, "--into", satchel.url, "--token", admin], {});
    expect(first.code, first.output).toBe(1);
    expect(first.output).toMatch(/read from Packeton: 3 packages, 1 groups, 31 users/);
    expect(first.output).toMatch(/stopped at legacy\/tool 2\.0\.0: Packeton answered 502.*Run the same command again to resume/s);
    expect(((await api("GET", "/api/packages")).body.packages as { name: string }[]).map((row) => row.name).sort()).toEqual(["acme/core", "acme/extra"]);
    expect((await api("GET", "/api/groups")).body.groups).toEqual([]);

    const second = await satchelCli(importArgs(), { SATCHEL_TOKEN: admin, PACKETON_TOKEN: PACKETON_ADMIN });
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/import finished: 33 added, 2 already there, 0 failed, 0 still running/);
    expect(second.output).toMatch(/note: not in Packeton's REST API, so not imported: webhooks/);

    const groups = (await api("GET", "/api/groups")).body.groups as { id: number; name: string; packages: unknown[] }[];
    // Exactly one group (nothing duplicated by the resumed runs), with Packeton's fields; Satchel's own restrictions at their defaults.
    expect(groups).toEqual([{ id: expect.any(Number), name: "Customer A", expiredUpdatesAt: null, packages: [{ name: "acme/core" }, { name: "legacy/tool" }], hideSources: false, hideDevVersions: false, minimumStability: null }]);
    const users = (await api("GET", "/api/users")).body.users as { username: string; roles: string[]; groups: number[]; expiresAt: string; expiredUpdatesAt: string; disabled: boolean }[];
    expect(users).toHaveLength(32);
    expect(users.find((user) => user.username === "customer-a")).toMatchObject({ roles: ["ROLE_USER"], groups: [groups[0]!.id], expiresAt: "2030-01-31T00:00:00.000Z", expiredUpdatesAt: "2029-06-30T00:00:00.000Z", disabled: false });
    expect(users.find((user) => user.username === "dev-b")).toMatchObject({ roles: ["ROLE_MAINTAINER"], disabled: true });

    const third = await satchelCli(importArgs(), { SATCHEL_TOKEN: admin, PACKETON_TOKEN: PACKETON_ADMIN });
    expect(third.code, third.output).toBe(0);
    expect(third.output).toMatch(/import finished: 0 added, 35 already there, 0 failed/);
    expect(((await api("GET", "/api/users")).body.users as unknown[]).length).toBe(32);
    expect(((await api("GET", "/api/groups")).body.groups as unknown[]).length).toBe(1);
  }, 240_000);

  it("lets the imported customer install what their group grants with composer, and nothing else", async () => {
    const users = (await api("GET", "/api/users")).body.users as { id: number; username: string }[];
    const customer = users.find((user) => user.username === "customer-a")!;
    expect((await api("PUT", `/api/users/${customer.id}`, { password: "customer-a-password" })).status).toBe(200);
    const issued = await fetch(`${satchel.url}/api/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "customer-a", password: "customer-a-password" }) });
    const { token } = (await issued.json()) as { token: string };

    const project = await composerProject(satchel.url, "customer-a", token, { "acme/core": "^1.2", "legacy/tool": "^2.0" });
    const install = await composer(project, ["install"]);
    expect(install.code, install.output).toBe(0);
    expect(await installedVersion(project, "acme/core")).toBe("v1.2.0");
    expect(await installedVersion(project, "legacy/tool")).toBe("2.0.0");

    const outside = await composerProject(satchel.url, "customer-a", token, { "acme/extra": "^1.2" });
    const refused = await composer(outside, ["install"]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/acme\/extra/);
  }, 180_000);
});
