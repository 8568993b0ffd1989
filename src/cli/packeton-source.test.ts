import { describe, expect, it } from "vitest";
import { PacketonReadError, readPacketon } from "./packeton-source.ts";

// Answers by path, in Packeton's shapes; anything unlisted is Packeton's 404.
function packeton(routes: Record<string, unknown>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const body = routes[`${url.pathname}${url.search}`];
    if (body === undefined) return new Response('{"code":404}', { status: 404 });
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
}

const source = { url: "http://packeton.test", credentials: "admin:token" };
const list = "/api/packages?fields%5B%5D=repository&fields%5B%5D=type";

describe("readPacketon", () => {
  it("reads grants with or without a constraint, ignores unknown fields, and notes a Packeton without a groups API", async () => {
    const read = await readPacketon(
      source,
      packeton({
        [list]: { packages: { "acme/a": { repository: "git@git.acme.test:acme/a.git", type: "library", extra: 1 } } },
        "/api/users?page=1": [{ id: 3, username: "c", enabled: true, expireAt: "2030-01-31T00:00:00+00:00", roles: ["ROLE_USER"], groups: [1], somethingNew: {} }],
      }),
    );
    expect(read.packages).toEqual([{ name: "acme/a", repository: "git@git.acme.test:acme/a.git", artifacts: [] }]);
    expect(read.users[0]).toMatchObject({ username: "c", expiresAt: "2030-01-31T00:00:00.000Z", expiredUpdatesAt: null, groups: [1] });
    expect(read.notes.join("\n")).toMatch(/no groups API/);

    const withGroups = await readPacketon(
      source,
      packeton({ [list]: { packages: [] }, "/api/groups?page=1": [{ id: 1, name: "G", proxies: [], packages: ["acme/a", { name: "acme/b", version: "<2.0" }] }], "/api/users?page=1": [] }),
    );
    expect(withGroups.groups).toEqual([{ id: 1, name: "G", packages: [{ name: "acme/a", version: null }, { name: "acme/b", version: "<2.0" }] }]);
  });

  it("refuses an answer that is not Packeton's, naming the request, without retry", async () => {
    const users = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, username: `u${i}` }));
    const attempt = readPacketon(source, packeton({ [list]: { packages: [] }, "/api/users?page=1": users, "/api/users?page=2": "<html>maintenance</html>" }));
    await expect(attempt).rejects.toThrow(PacketonReadError);
    await expect(attempt).rejects.toThrow(/GET \/api\/users\?page=2 is not what Packeton sends \(not JSON/);
    await expect(attempt).rejects.toMatchObject({ retry: false });
  });
});
