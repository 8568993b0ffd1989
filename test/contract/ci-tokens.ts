// CI OIDC tokens for the trusted-publishing suites, in the claim shapes GitHub Actions and
// GitLab CI document, signed by test/support/ci-issuer.ts (plain fetch: runs in workerd and Node).
import type { Forgery } from "../support/ci-issuer.ts";

export interface CiJob {
  /** The issuer's path on the local server: `github`, `gitlab`, `other`, `keyless`. */
  issuer: string;
  claims: Record<string, unknown>;
}

/** https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect */
export function githubJob(repository: string, ref: string, audience: string): CiJob {
  const [owner] = repository.split("/");
  return {
    issuer: "github",
    claims: {
      sub: `repo:${repository}:ref:${ref}`,
      aud: audience,
      ref,
      ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch",
      repository,
      repository_owner: owner,
      repository_id: "123456",
      actor: "octocat",
      workflow: "Publish",
      job_workflow_ref: `${repository}/.github/workflows/publish.yml@${ref}`,
      event_name: "push",
      runner_environment: "github-hosted",
    },
  };
}

/** https://docs.gitlab.com/ci/secrets/id_token_authentication/ (id_tokens: aud) */
export function gitlabJob(projectPath: string, tag: string, audience: string): CiJob {
  const [namespace] = projectPath.split("/");
  return {
    issuer: "gitlab",
    claims: {
      sub: `project_path:${projectPath}:ref_type:tag:ref:${tag}`,
      aud: audience,
      namespace_id: "42",
      namespace_path: namespace,
      project_id: "4242",
      project_path: projectPath,
      user_login: "ci-user",
      pipeline_source: "push",
      ref: tag,
      ref_type: "tag",
      ref_path: `refs/tags/${tag}`,
      ref_protected: "true",
    },
  };
}

/** Signs the job's token, valid from `now` for `lifetimeMs` (or as `times` say). */
export async function ciToken(issuerUrl: string, job: CiJob, now: number, options: { lifetimeMs?: number; forge?: Forgery; claims?: Record<string, unknown> } = {}): Promise<string> {
  const iat = Math.floor(now / 1000);
  const claims = { iat, nbf: iat, exp: iat + Math.floor((options.lifetimeMs ?? 5 * 60_000) / 1000), jti: crypto.randomUUID(), ...job.claims, ...options.claims };
  const response = await fetch(`${issuerUrl}/_control/sign`, { method: "POST", body: JSON.stringify({ issuer: job.issuer, claims, forge: options.forge }) });
  return ((await response.json()) as { value: string }).value;
}
