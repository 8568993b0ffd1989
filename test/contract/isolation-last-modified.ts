// The isolation property's last phase: Last-Modified tells a reader only about their own view.
// A release and a package are published; every reader's p2 and packages.json dates move when
// (and only when) what they see changed: a 304 to their If-Modified-Since otherwise.
import { expect } from "vitest";
import { Client } from "./client.ts";
import { basic, type Harness } from "./harness.ts";
import { canRead, DAY, expectedFor, packageVisible, versionVisible, type PackageSpec, type Random, type UserSpec, type VersionSpec, type World } from "./isolation-model.ts";

interface Reader {
  user: UserSpec;
  headers: Record<string, string>;
  root: string;
  p2: Map<string, string>;
}

export async function checkLastModified(harness: Harness, random: Random, world: World): Promise<number> {
  const client = new Client(harness.app);
  const readers: Reader[] = [];
  for (const user of world.users) {
    const token = user.tokens.find((candidate) => canRead(user, candidate));
    if (!token) continue;
    const headers = basic(user.username, token.secret);
    const reader: Reader = { user, headers, root: await lastModified(client, "/packages.json", headers), p2: new Map() };
    for (const name of expectedFor(world, user).names) reader.p2.set(name, await lastModified(client, `/p2/${name}.json`, headers));
    readers.push(reader);
  }
  harness.clock.now += DAY;
  const admin = await client.adminToken();
  const release: VersionSpec = { version: "9.9.0", normalized: "9.9.0.0", dev: false, description: `desc${random.token()}${random.token()}`, claimedTime: "2001-01-01T00:00:00+00:00", reference: "", publishedAt: harness.clock.now, superseded: false, flagged: false, hasSource: false };
  // The package with the most readers who see it but not this release: the case that matters.
  const hiddenFrom = (pkg: PackageSpec) => readers.filter(({ user }) => packageVisible(world, user, pkg) && !versionVisible(world, user, pkg, release)).length;
  const target = world.packages.filter((pkg) => pkg.kind === "artifact" && !pkg.archived).sort((a, b) => hiddenFrom(b) - hiddenFrom(a))[0];
  if (target) {
    release.reference = (await client.uploadOk(admin, target.name, release.version, { description: release.description, time: release.claimedTime })).reference;
    target.versions.push(release);
  }
  const vendor = `${world.prefix}vnew${random.token()}`;
  const added = { name: `${vendor}/fresh`, vendor, kind: "artifact" as const, isPublic: false, archived: false, versions: [] as VersionSpec[] };
  await client.uploadOk(admin, added.name, "1.0.0");
  world.packages.push(added);
  let cases = 0;
  for (const reader of readers) {
    const now = expectedFor(world, reader.user);
    const rootChanged = now.names.includes(added.name);
    cases++;
    expect((await client.request("/packages.json", { headers: { ...reader.headers, "if-modified-since": reader.root } })).status, `${reader.user.username}: packages.json`).toBe(rootChanged ? 200 : 304);
    for (const [name, since] of reader.p2) {
      const changed = name === target?.name && now.versions(target, false).includes("9.9.0");
      cases++;
      const response = await client.request(`/p2/${name}.json`, { headers: { ...reader.headers, "if-modified-since": since } });
      expect(response.status, `${reader.user.username}: p2 ${name} after a release ${changed ? "they see" : "hidden from them"}`).toBe(changed ? 200 : 304);
    }
  }
  return cases;
}

async function lastModified(client: Client, path: string, headers: Record<string, string>): Promise<string> {
  const response = await client.request(path, { headers });
  expect(response.status, path).toBe(200);
  return response.headers.get("last-modified") ?? "";
}
