// What repository sync needs from each provider's API: its authentication, which scopes a
// token lacks, the organization's repositories page by page, whether composer.json is on the
// default branch, and an organization-level webhook.
import type { ProviderKind } from "../repository-access.ts";
import type { ListedRepository } from "../integration-store.ts";
import { linkNext, type ProviderHttp } from "../provider-http.ts";

export interface AccessNeeds {
  hooks: boolean;
  teams: boolean;
}

/** The token works but lacks a scope (or an App a permission): the admin must change the token. */
export class MissingScope extends Error {
  readonly scope: string;

  constructor(scope: string, message: string) {
    super(message);
    this.scope = scope;
  }
}

export interface ListedPage {
  repositories: ListedRepository[];
  next: string | null;
}

export interface TeamMember {
  /** The provider's user id (what its sign-in reports as the subject). */
  id: string;
  login: string;
}

/** Team membership, for team sync (GitHub teams, GitLab subgroups). */
export interface TeamApi {
  /** Every member of the team (all pages). */
  members(http: ProviderHttp, organization: string, team: string): Promise<TeamMember[]>;
  isMember(http: ProviderHttp, organization: string, team: string, member: TeamMember): Promise<boolean>;
}

export interface OrgProvider {
  kind: ProviderKind;
  authHeaders(token: string): Record<string, string>;
  /** Throws MissingScope naming the first scope the token lacks (or ProviderRefused). */
  checkAccess(http: ProviderHttp, organization: string, needs: AccessNeeds): Promise<void>;
  firstPage(organization: string): string;
  readPage(http: ProviderHttp, url: string): Promise<ListedPage>;
  hasComposerJson(http: ProviderHttp, repository: ListedRepository): Promise<boolean>;
  /** The hook's id, or null when the provider offers no organization hook to this token (GitLab Free). */
  createOrgHook(http: ProviderHttp, organization: string, target: { url: string; secret: string }): Promise<string | null>;
  deleteOrgHook(http: ProviderHttp, organization: string, hookId: string): Promise<void>;
  /** Absent: the provider's teams are not synced. */
  teams?: TeamApi;
  /** How the git worker clones with the integration's token (a `credentials` row). */
  cloneCredential(apiUrl: string): { kind: "github-token" | "gitlab-token" | "http-basic"; publicInfo: string };
}

/** The first of `wanted` that a space- or comma-separated scope list lacks (each entry: alternatives joined by |). */
export function firstMissing(granted: string, wanted: string[]): string | undefined {
  const have = new Set(granted.split(/[\s,]+/).filter(Boolean));
  return wanted.find((entry) => !entry.split("|").some((scope) => have.has(scope)));
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export const enc = encodeURIComponent;

/** The repository path as a URL path: each segment encoded, slashes kept. */
export const repoPath = (fullName: string) => fullName.split("/").map(enc).join("/");

/** Every item of a paged list, following `readPage` until no next page (at most `maxPages`). */
export async function allPages<T>(first: string, readPage: (url: string) => Promise<{ items: T[]; next: string | null }>, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let url: string | null = first;
  for (let page = 0; url !== null && page < maxPages; page++) {
    const read: { items: T[]; next: string | null } = await readPage(url);
    items.push(...read.items);
    url = read.next;
  }
  return items;
}

/** A page of repositories in GitHub's shape (Gitea answers in the same one), and its next page from the Link header. */
export async function githubShapedRepositoryPage(http: ProviderHttp, url: string) {
  const { body, next } = await http.page(url, (headers) => linkNext(headers));
  const repositories = (Array.isArray(body) ? body : []).filter(isRecord).map((repo) => ({
    providerId: String(repo.id),
    fullName: String(repo.full_name),
    cloneUrl: String(repo.clone_url),
    defaultBranch: String(repo.default_branch ?? "main"),
    archived: repo.archived === true,
  }));
  return { repositories, next };
}
