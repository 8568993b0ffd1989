// Trusted publishing end to end, on both runtimes: the CI lines of docs/trusted-publishing.md
// (GitHub Actions and GitLab CI), run by bash with the real curl and `composer archive`, against
// a local OIDC issuer; then the real `composer` installs what they published.
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ciToken, githubJob, gitlabJob } from "../contract/ci-tokens.ts";
import { startCiIssuer, type CiIssuer } from "../support/ci-issuer.ts";
import { composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = composerAvailable();
if (!hasComposer && process.env.CI === "true") throw new Error("composer is required on CI (apt-get install composer php-cli php-zip unzip)");

const PACKAGE = "acme/ci-lib";
const GUIDE = path.resolve(import.meta.dirname, "../../docs/trusted-publishing.md");

/** The shell lines of the guide's YAML block marked `<!-- e2e: {name}`: a `run: |` or `- |` block, dedented. */
async function ciScript(name: string): Promise<string> {
  const guide = await readFile(GUIDE, "utf8");
  const block = /```yaml\n([\s\S]*?)```/.exec(guide.slice(guide.indexOf(`<!-- e2e: ${name}`)))?.[1] ?? "";
  const lines = block.split("\n");
  const start = lines.findIndex((line) => /(run: \||- \|)\s*$/.test(line));
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const indent = indentOf(lines[start + 1] ?? "");
  const script: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && indentOf(line) < indent) break;
    script.push(line.slice(indent));
  }
  expect(script.join("\n"), `the ${name} block of ${GUIDE}`).toContain("/api/oidc/token");
  return script.join("\n");
}

/** A checkout of the package: what the CI job archives. */
async function checkout(version: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-ci-checkout-"));
  await mkdir(path.join(dir, "src"));
  await writeFile(path.join(dir, "composer.json"), JSON.stringify({ name: PACKAGE, description: "Published from CI", autoload: { "psr-4": { "Acme\\CiLib\\": "src/" } } }));
  await writeFile(path.join(dir, "src/Version.php"), `<?php\nnamespace Acme\\CiLib;\nfinal class Version { const VALUE = '${version}'; }\n`);
  return dir;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-euo", "pipefail", "-c", script], { cwd, env: { ...process.env, COMPOSER_HOME: path.join(cwd, ".composer-home"), COMPOSER_ALLOW_SUPERUSER: "1", ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: trusted publishing from CI with curl, installed by composer`, () => {
    let issuer: CiIssuer;
    let satchel: SatchelProcess;
    let admin: string;
    const declare = async (body: Record<string, unknown>) => {
      const response = await fetch(`${satchel.url}/api/trusted-publishers`, { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(201);
    };

    beforeAll(async () => {
      issuer = await startCiIssuer();
      satchel = await startSatchel(runtime, { SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS: "1" });
      admin = await satchel.adminToken();
    }, 120_000);

    afterAll(async () => {
      await satchel?.stop("SIGTERM");
      await issuer?.close();
    });

    it("publishes a tag from GitHub Actions and one from GitLab CI, and composer installs them", async () => {
      await declare({ package: PACKAGE, issuer: `${issuer.url}/github`, audience: satchel.url, claims: { repository: PACKAGE, ref: "refs/tags/*" } });
      await declare({ package: PACKAGE, issuer: `${issuer.url}/gitlab`, audience: satchel.url, claims: { project_path: PACKAGE, ref_type: "tag" } });

      // GitHub: the job asks ACTIONS_ID_TOKEN_REQUEST_URL for its token (the claims are the job's).
      const job = Buffer.from(JSON.stringify(githubJob(PACKAGE, "refs/tags/v1.0.0", "").claims)).toString("base64url");
      const github = await bash(await ciScript("github"), await checkout("1.0.0"), {
        SATCHEL_URL: satchel.url,
        PACKAGE,
        GITHUB_REF_NAME: "v1.0.0",
        ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer.url}/_actions/token?claims=${job}`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner-request-token",
      });
      expect(github.code, github.output).toBe(0);

      // GitLab: the runner puts the id_token in the variable the job names.
      const idToken = await ciToken(issuer.url, gitlabJob(PACKAGE, "v2.0.0", satchel.url), Date.now());
      const gitlab = await bash(await ciScript("gitlab"), await checkout("2.0.0"), { SATCHEL_URL: satchel.url, PACKAGE, CI_COMMIT_TAG: "v2.0.0", SATCHEL_ID_TOKEN: idToken });
      expect(gitlab.code, gitlab.output).toBe(0);

      // A job for another repository gets nothing, and publishes nothing.
      const foreign = await bash(await ciScript("gitlab"), await checkout("3.0.0"), {
        SATCHEL_URL: satchel.url,
        PACKAGE,
        CI_COMMIT_TAG: "v3.0.0",
        SATCHEL_ID_TOKEN: await ciToken(issuer.url, gitlabJob("evil/fork", "v3.0.0", satchel.url), Date.now()),
      });
      expect(foreign.code).not.toBe(0);
      expect(foreign.output).toContain("returned error: 403");

      const project = await composerProject(satchel.url, "admin", admin, { [PACKAGE]: "^1.0" });
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, PACKAGE)).toBe("1.0.0");
      const update = await composer(project, ["require", `${PACKAGE}:*`]);
      expect(update.code, update.output).toBe(0);
      expect(await installedVersion(project, PACKAGE)).toBe("2.0.0");
      expect(await readFile(path.join(project, "vendor/acme/ci-lib/src/Version.php"), "utf8")).toContain("'2.0.0'");
    }, 240_000);
  });
}
