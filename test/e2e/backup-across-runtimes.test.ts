// Moving a repository between runtimes with `satchel backup|restore`: from `npm start`
// (workerd, D1 + R2) into `npm run serve` (libSQL + folder) and back, with the real `composer`
// installing through a customer's token that was made before the first move.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = composerAvailable();
if (!hasComposer) {
  if (process.env.CI === "true") throw new Error("composer is required on CI (apt-get install composer php-cli php-zip unzip)");
  console.warn("\n!!! composer is not installed: the backup/restore Composer test is SKIPPED. apt-get install composer php-cli php-zip unzip\n");
}

// The keys travel beside the archive, never inside it: both instances are given the same ones.
const KEYS = { JWT_SECRET: "e2e-moving-jwt-secret-0123456789", ENCRYPTION_KEY: "e2e-moving-encryption-key-0123456789" };
const BIN = path.resolve(import.meta.dirname, "../../bin/satchel.js");

function satchelCli(args: string[], token: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, SATCHEL_TOKEN: token }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

describe.skipIf(!hasComposer)("backup from one runtime, restore into the other, composer still installs", () => {
  const running: SatchelProcess[] = [];
  const start = async (runtime: Runtime) => {
    const satchel = await startSatchel(runtime, KEYS);
    running.push(satchel);
    return satchel;
  };
  afterAll(async () => {
    for (const satchel of running) await satchel.stop("SIGTERM");
  });

  async function api(satchel: SatchelProcess, token: string, method: string, route: string, body?: unknown) {
    const response = await fetch(`${satchel.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  async function customerInstalls(satchel: SatchelProcess, customer: { username: string; token: string }) {
    const project = await composerProject(satchel.url, customer.username, customer.token, { "acme/moving": "^1.0" });
    const run = await composer(project, ["install"]);
    expect(run.code, run.output).toBe(0);
    expect(await installedVersion(project, "acme/moving")).toBe("1.1.0");
  }

  async function move(from: SatchelProcess, to: SatchelProcess, file: string) {
    const backup = await satchelCli(["backup", "--url", from.url, "--out", file], await from.adminToken());
    expect(backup.code, backup.output).toBe(0);
    const restore = await satchelCli(["restore", "--url", to.url, file], await to.adminToken());
    expect(restore.code, restore.output).toBe(0);
    expect(restore.output).toMatch(/"restored"/);
  }

  it("workerd -> node -> workerd", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "satchel-moving-"));
    const edge = await start("workerd");
    const admin = await edge.adminToken();
    for (const version of ["1.0.0", "1.1.0"]) {
      const upload = await fetch(`${edge.url}/api/packages/upload/acme/moving/${version}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" },
        body: packageZip({ name: "acme/moving", autoload: { "psr-4": { "Acme\\Moving\\": "src/" } } }),
      });
      expect(upload.status, await upload.text()).toBe(201);
    }
    const group = (await api(edge, admin, "POST", "/api/groups", { name: "Movers", packages: [{ name: "acme/moving" }] })).id;
    await api(edge, admin, "POST", "/api/users", { username: "mover", password: "mover-password", roles: ["ROLE_USER"], groups: [group] });
    const tokenResponse = await fetch(`${edge.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "mover", password: "mover-password" }) });
    const customer = { username: "mover", token: ((await tokenResponse.json()) as { token: string }).token };
    await customerInstalls(edge, customer);

    const server = await start("node");
    await move(edge, server, path.join(dir, "from-workerd.satchel-backup"));
    await customerInstalls(server, customer);

    const edgeAgain = await start("workerd");
    await move(server, edgeAgain, path.join(dir, "from-node.satchel-backup"));
    await customerInstalls(edgeAgain, customer);
  }, 300_000);
});
