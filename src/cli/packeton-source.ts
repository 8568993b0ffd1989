// Reads a Packeton instance through its REST API, in the shapes of Packeton's own source:
// - auth: HTTP Basic with `<username>:<api token>` (Packeton refuses passwords on its API);
// - GET /api/packages?fields[]=repository&fields[]=type (PackageController::listAction):
//   {"packages": {"<name>": {"repository", "type"}}};
// - GET /api/packages/<name> (viewPackageAction, json): {"package": {"versions": {"<version>": {"dist": {"url"}}}}},
//   read only for artifact packages, whose `repository` is a folder on Packeton's disk, not a URL;
// - GET /api/groups?page=N (GroupRepository::getApiData): [{"id","name","proxies","packages":[names]}];
// - GET /api/users?page=N (UserRepository::getApiData, 25 a page, admins left out):
//   [{"id","username","email","enabled","expireAt","expiredUpdatesAt","roles","groups":[ids]}].
// Everything is read before anything is written, so a refused token or a broken answer imports nothing.
// Unknown fields are ignored.

export interface PacketonSource {
  url: string;
  /** `<username>:<api token>`. */
  credentials: string;
}

export interface PacketonPackage {
  name: string;
  /** A VCS URL, or null for an artifact package (its versions come from `artifacts`). */
  repository: string | null;
  artifacts: { version: string; distUrl: string }[];
}

export interface PacketonGroup {
  id: number;
  name: string;
  packages: { name: string; version: string | null }[];
}

export interface PacketonUser {
  username: string;
  email: string | null;
  enabled: boolean;
  expiresAt: string | null;
  expiredUpdatesAt: string | null;
  roles: string[];
  groups: number[];
}

export interface PacketonExport {
  packages: PacketonPackage[];
  groups: PacketonGroup[];
  users: PacketonUser[];
  notes: string[];
}

/** Packeton could not be read; `retry` says whether running again may get past it (a 5xx, a network error). */
export class PacketonReadError extends Error {
  readonly retry: boolean;
  constructor(message: string, retry: boolean) {
    super(message);
    this.retry = retry;
  }
}

const PAGE_SIZE = 25; // Packeton's Pagerfanta page size for its lists
const MAX_PAGES = 10_000;
// https://, http://, git://, ssh://, svn:// URLs and scp-like git@host:path; anything else is a folder (artifacts).
const VCS_URL = /^([a-z][a-z0-9+.-]*:\/\/|[^\s@/]+@[^\s:/]+:)/i;

export async function readPacketon(source: PacketonSource, fetchImpl: typeof fetch = fetch): Promise<PacketonExport> {
  const get = packetonGetter(source, fetchImpl);
  const notes: string[] = [];

  const list = await get("/api/packages?fields%5B%5D=repository&fields%5B%5D=type");
  const listed = record(list, "GET /api/packages")["packages"];
  const packages: PacketonPackage[] = [];
  for (const [name, raw] of Object.entries(record(listed, "GET /api/packages: packages"))) {
    const repository = typeof (raw as { repository?: unknown })?.repository === "string" ? (raw as { repository: string }).repository : "";
    if (VCS_URL.test(repository)) {
      packages.push({ name, repository, artifacts: [] });
      continue;
    }
    const detail = record(record(await get(`/api/packages/${name}`), `GET /api/packages/${name}`)["package"], `GET /api/packages/${name}: package`);
    const versions = record(detail.versions ?? {}, `GET /api/packages/${name}: versions`);
    const artifacts = Object.entries(versions).flatMap(([version, entry]) => {
      const distUrl = (entry as { dist?: { url?: unknown } })?.dist?.url;
      return typeof distUrl === "string" && !version.startsWith("dev-") ? [{ version, distUrl }] : [];
    });
    packages.push({ name, repository: null, artifacts });
  }

  const groups: PacketonGroup[] = [];
  const groupPages = await pages(get, "/api/groups");
  if (groupPages === null) notes.push("this Packeton has no groups API (GET /api/groups answered 404): groups were not read");
  for (const raw of groupPages ?? []) {
    const { id, name, packages: acl } = raw as { id?: unknown; name?: unknown; packages?: unknown };
    if (!Number.isSafeInteger(id) || typeof name !== "string" || !Array.isArray(acl)) throw garbage("GET /api/groups", "a group without id, name or packages");
    groups.push({ id: id as number, name, packages: acl.map(readGrant) });
  }
  if (groups.some((group) => group.packages.every((grant) => grant.version === null)) && groups.length > 0) {
    notes.push("Packeton's API lists a group's packages without their version constraints: where none came with it, the group grants every version; check the groups (GET /api/groups) after the import");
  }

  const users: PacketonUser[] = [];
  for (const raw of (await pages(get, "/api/users")) ?? []) users.push(readUser(raw));
  notes.push("not in Packeton's REST API, so not imported: webhooks, stored SSH keys and provider credentials, and users' API tokens (customers get new tokens: invite them with POST /api/invitations)");
  return { packages, groups, users, notes };
}

type Getter = (path: string) => Promise<unknown>;

function packetonGetter(source: PacketonSource, fetchImpl: typeof fetch): Getter {
  const authorization = `Basic ${Buffer.from(source.credentials).toString("base64")}`;
  return async (path) => {
    let response: Response;
    try {
      response = await fetchImpl(`${source.url}${path}`, { headers: { authorization, accept: "application/json" }, redirect: "manual" });
    } catch (error) {
      throw new PacketonReadError(`Packeton is unreachable at GET ${path} (${error instanceof Error ? error.message : String(error)})`, true);
    }
    if (response.status === 401 || response.status === 403 || (response.status >= 300 && response.status < 400)) {
      throw new PacketonReadError(`Packeton refused the token (HTTP ${response.status} at GET ${path}): give an admin's <username>:<api token> (Profile → API token in Packeton)`, false);
    }
    if (response.status === 404) throw new NotFound(path);
    if (response.status >= 500) throw new PacketonReadError(`Packeton answered ${response.status} at GET ${path}`, true);
    if (!response.ok) throw new PacketonReadError(`Packeton answered ${response.status} at GET ${path}`, false);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw garbage(`GET ${path}`, `not JSON: ${JSON.stringify(text.slice(0, 80))}`);
    }
  };
}

class NotFound extends Error {}

/** Every page of a paged list; null when the endpoint does not exist. */
async function pages(get: Getter, path: string): Promise<unknown[] | null> {
  const all: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    let body: unknown;
    try {
      body = await get(`${path}?page=${page}`);
    } catch (error) {
      if (error instanceof NotFound) {
        if (page === 1) return null;
        break;
      }
      throw error;
    }
    if (!Array.isArray(body)) throw garbage(`GET ${path}?page=${page}`, "not a list");
    all.push(...body);
    // A short page is the last one (a page past the end is a 404 from Pagerfanta's out-of-range check).
    if (body.length < PAGE_SIZE) break;
  }
  return all;
}

function readGrant(raw: unknown): { name: string; version: string | null } {
  if (typeof raw === "string") return { name: raw, version: null };
  const { name, version } = (raw ?? {}) as { name?: unknown; version?: unknown };
  if (typeof name !== "string") throw garbage("GET /api/groups", "a package grant without a name");
  return { name, version: typeof version === "string" && version !== "" ? version : null };
}

function readUser(raw: unknown): PacketonUser {
  const user = (raw ?? {}) as Record<string, unknown>;
  if (typeof user.username !== "string") throw garbage("GET /api/users", "a user without a username");
  return {
    username: user.username,
    email: typeof user.email === "string" ? user.email : null,
    enabled: user.enabled !== false,
    expiresAt: dateOrNull(user.expireAt ?? user.expiresAt),
    expiredUpdatesAt: dateOrNull(user.expiredUpdatesAt),
    roles: Array.isArray(user.roles) ? user.roles.filter((role): role is string => typeof role === "string") : [],
    groups: Array.isArray(user.groups) ? user.groups.filter((id): id is number => Number.isSafeInteger(id)) : [],
  };
}

// Symfony's serializer writes DateTime as RFC 3339 ("2027-06-30T00:00:00+00:00").
function dateOrNull(value: unknown): string | null {
  return typeof value === "string" && Number.isFinite(Date.parse(value)) ? new Date(Date.parse(value)).toISOString() : null;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    // PHP's json_encode writes an empty associative array as [].
    if (Array.isArray(value) && value.length === 0) return {};
    throw garbage(where, "not an object");
  }
  return value as Record<string, unknown>;
}

function garbage(where: string, what: string): PacketonReadError {
  return new PacketonReadError(`Packeton's answer to ${where} is not what Packeton sends (${what})`, false);
}

/** An artifact version's zip from Packeton; the credentials go only to Packeton's own origin. */
export async function downloadArtifact(source: PacketonSource, distUrl: string, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
  const url = new URL(distUrl, `${source.url}/`);
  const sameOrigin = url.origin === new URL(source.url).origin;
  const headers: Record<string, string> = sameOrigin ? { authorization: `Basic ${Buffer.from(source.credentials).toString("base64")}` } : {};
  let response: Response;
  try {
    response = await fetchImpl(url, { headers });
  } catch (error) {
    throw new PacketonReadError(`Packeton is unreachable at GET ${url.pathname} (${error instanceof Error ? error.message : String(error)})`, true);
  }
  if (!response.ok) throw new PacketonReadError(`Packeton answered ${response.status} at GET ${url.pathname}`, response.status >= 500);
  return new Uint8Array(await response.arrayBuffer());
}
