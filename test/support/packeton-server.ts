// A Packeton stand-in on 127.0.0.1 answering its REST API in the shapes of Packeton's source
// (ApiForwardController → PackageController::listAction / viewPackageAction, ApiUserController
// with UserRepository::getApiData, GroupRepository::getApiData): HTTP Basic `<username>:<api
// token>`, 25 users a page, a 404 past the last page, dates as Symfony writes them, and extra
// fields a newer Packeton might add. `failOnce` makes one path answer 502 once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakePacketonData {
  vcs: Record<string, string>;
  /** Artifact packages: name → version → zip bytes. */
  artifacts: Record<string, Record<string, Uint8Array>>;
  groups: { id: number; name: string; packages: string[] }[];
  users: { id: number; username: string; email: string; roles: string[]; groups: number[]; expireAt?: string; expiredUpdatesAt?: string; enabled?: boolean }[];
}

export interface FakePacketon {
  url: string;
  requests: string[];
  failOnce: Set<string>;
  stop(): Promise<void>;
}

const PAGE = 25;

export async function startFakePacketon(data: FakePacketonData, credentials: string): Promise<FakePacketon> {
  const requests: string[] = [];
  const failOnce = new Set<string>();
  let base = "";
  const expected = `Basic ${Buffer.from(credentials).toString("base64")}`;
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (failOnce.delete(url.pathname)) return json(res, 502, { error: "Bad Gateway" });
    // Packeton's API firewall: a missing or wrong token is a 401 with Symfony's JSON error.
    if (req.headers.authorization !== expected) return json(res, 401, { code: 401, message: "Invalid credentials." });
    const page = Number(url.searchParams.get("page") ?? 1);
    const paged = <T>(rows: T[]) => {
      const last = Math.max(1, Math.ceil(rows.length / PAGE));
      return page > last ? null : rows.slice((page - 1) * PAGE, page * PAGE);
    };
    if (url.pathname === "/api/packages") {
      const fields = url.searchParams.getAll("fields[]");
      if (fields.length === 0) return json(res, 200, { packageNames: [...Object.keys(data.vcs), ...Object.keys(data.artifacts)] });
      const packages: Record<string, Record<string, unknown>> = {};
      for (const [name, repository] of Object.entries(data.vcs)) packages[name] = { repository, type: "library" };
      for (const name of Object.keys(data.artifacts)) packages[name] = { repository: `/data/artifacts/${name}`, type: "library" };
      return json(res, 200, { packages });
    }
    const artifact = /^\/api\/packages\/([^/]+\/[^/]+)$/.exec(url.pathname);
    if (artifact?.[1] && data.artifacts[artifact[1]]) {
      const name = artifact[1];
      const versions = Object.fromEntries(
        Object.keys(data.artifacts[name]!).map((version) => [
          version,
          { name, version, version_normalized: `${version}.0`, dist: { type: "zip", url: `${base}/zipball/${name}/${version}.zip`, reference: "d41d8cd98f", shasum: "" }, source: null },
        ]),
      );
      return json(res, 200, { package: { name, description: null, time: "2025-01-01T00:00:00+00:00", maintainers: [], versions, type: "library", repository: `/data/artifacts/${name}`, groups: [], downloads: { total: 0 }, favers: 0 } });
    }
    const zip = /^\/zipball\/([^/]+\/[^/]+)\/(.+)\.zip$/.exec(url.pathname);
    const bytes = zip?.[1] && zip[2] ? data.artifacts[zip[1]]?.[zip[2]] : undefined;
    if (bytes) {
      res.writeHead(200, { "content-type": "application/zip" });
      return res.end(bytes);
    }
    if (url.pathname === "/api/groups") {
      const rows = paged(data.groups.map((group) => ({ ...group, proxies: [], color: "#00aaff" })));
      return rows ? json(res, 200, rows) : json(res, 404, { code: 404, message: "Not Found" });
    }
    if (url.pathname === "/api/users") {
      const rows = paged(
        data.users.map((user) => ({
          id: user.id,
          username: user.username,
          email: user.email,
          enabled: user.enabled ?? true,
          createdAt: "2024-03-01T10:00:00+00:00",
          expireAt: user.expireAt ?? null,
          expiredUpdatesAt: user.expiredUpdatesAt ?? null,
          apiToken: "packeton-token-not-imported",
          roles: [...user.roles, "ROLE_USER"],
          groups: user.groups,
          allowedPackages: [],
          allowedProxies: [],
          isMaintainer: user.roles.includes("ROLE_MAINTAINER"),
          gravatarUrl: "https://www.gravatar.com/avatar/0",
          fullAccess: false,
          twoFactorEnabled: false,
        })),
      );
      return rows ? json(res, 200, rows) : json(res, 404, { code: 404, message: "Not Found" });
    }
    json(res, 404, { code: 404, message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, failOnce, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
