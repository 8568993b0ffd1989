// composer.lock at a commit or branch, and the default branch, through each provider's
// documented endpoint: GitHub's contents API (raw media type: files up to 100 MB), GitLab's
// repository files `/raw`, Gitea's `/raw/{filepath}?ref=`, Bitbucket's `/src/{commit}/{path}`.
import type { Services } from "../../services.ts";
import type { RepositoryAccess } from "../repository-access.ts";
import { MAX_LOCK_BYTES } from "./lock-file.ts";
import { providerJson, providerRequest } from "./provider-request.ts";

const LOCK_FILE = "composer.lock";

/** The file's bytes at `ref` (cut one byte past the bound, so the parser names the size), or null when there is none. */
export async function readLockFile(services: Services, access: RepositoryAccess, ref: string): Promise<Uint8Array | null> {
  const answer = await providerRequest(services, access, lockFilePath(access, ref), { raw: true, maxBytes: MAX_LOCK_BYTES + 1, truncate: true, allow: [404] });
  return answer.status === 404 ? null : answer.bytes;
}

function lockFilePath(access: RepositoryAccess, ref: string): string {
  const ref_ = encodeURIComponent(ref);
  switch (access.provider) {
    case "github":
      return `/repos/${access.fullName}/contents/${LOCK_FILE}?ref=${ref_}`;
    case "gitlab":
      return `/projects/${encodeURIComponent(access.fullName)}/repository/files/${LOCK_FILE}/raw?ref=${ref_}`;
    case "gitea":
      return `/repos/${access.fullName}/raw/${LOCK_FILE}?ref=${ref_}`;
    case "bitbucket":
      return `/repositories/${access.fullName}/src/${ref_}/${LOCK_FILE}`;
  }
}

/** The repository's default branch (GitHub/Gitea `default_branch`, GitLab `default_branch`, Bitbucket `mainbranch.name`). */
export async function defaultBranchOf(services: Services, access: RepositoryAccess): Promise<string> {
  const path =
    access.provider === "gitlab"
      ? `/projects/${encodeURIComponent(access.fullName)}`
      : access.provider === "bitbucket"
        ? `/repositories/${access.fullName}`
        : `/repos/${access.fullName}`;
  const { value } = await providerJson<{ default_branch?: unknown; mainbranch?: { name?: unknown } }>(services, access, path);
  const branch = access.provider === "bitbucket" ? value.mainbranch?.name : value.default_branch;
  if (typeof branch !== "string" || branch === "") throw new Error(`${access.fullName} names no default branch.`);
  return branch;
}
