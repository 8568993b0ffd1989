// `satchel import packeton`: reads the whole Packeton instance first (nothing is written when
// that fails), then creates in Satchel what it does not have yet: VCS packages, artifact
// versions, groups with their grants, and users in those groups. Things are matched by name
// (package, version, group, username), so a rerun after a failure continues and duplicates nothing.
import { downloadArtifact, PacketonReadError, readPacketon, type PacketonExport, type PacketonGroup, type PacketonSource, type PacketonUser } from "./packeton-source.ts";
import { addRepositories, errorMessage, ImportStopped, report, type Outcome, type SatchelClient } from "./satchel-client.ts";

// Packeton gives every user ROLE_USER besides its real role: the highest one Satchel knows wins.
const SATCHEL_ROLES = ["ROLE_MAINTAINER", "ROLE_FULL_CUSTOMER", "ROLE_USER"];

export async function importPacketon(source: PacketonSource, client: SatchelClient, deadline: number, out: (line: string) => void): Promise<number> {
  let exported: PacketonExport;
  try {
    exported = await readPacketon(source);
  } catch (error) {
    if (!(error instanceof PacketonReadError)) throw error;
    out(`satchel import: nothing imported: ${error.message}${error.retry ? ". Run the same command again when Packeton answers." : ""}`);
    return error.retry ? 1 : 2;
  }
  out(`read from Packeton: ${exported.packages.length} packages, ${exported.groups.length} groups, ${exported.users.length} users`);
  for (const note of exported.notes) out(`note: ${note}`);

  const existing = await namesInSatchel(client);
  const vcs = exported.packages.filter((pkg) => pkg.repository !== null && !existing.packages.has(pkg.name));
  const outcomes: Outcome[] = exported.packages
    .filter((pkg) => pkg.repository !== null && existing.packages.has(pkg.name))
    .map((pkg) => ({ item: pkg.name, state: "already there" }));
  outcomes.push(...(await addRepositories(client, vcs.map((pkg) => pkg.repository!), deadline, out)));
  for (const pkg of exported.packages.filter((entry) => entry.repository === null)) outcomes.push(...(await importArtifacts(source, client, pkg.name, pkg.artifacts, out)));

  const groupIds = new Map<number, number>();
  for (const group of exported.groups) outcomes.push(await importGroup(client, group, existing.groups, groupIds, out));
  for (const user of exported.users) outcomes.push(await importUser(client, user, existing.users, groupIds, out));
  return report(outcomes, out);
}

async function namesInSatchel(client: SatchelClient) {
  const [packages, groups, users] = await Promise.all(["/api/packages", "/api/groups", "/api/users"].map((path) => client.call("GET", path)));
  const list = <T>(body: Record<string, unknown> | undefined, key: string) => (Array.isArray(body?.[key]) ? (body[key] as T[]) : []);
  return {
    packages: new Set(list<{ name: string }>(packages?.body, "packages").map((row) => row.name)),
    groups: new Map(list<{ id: number; name: string }>(groups?.body, "groups").map((row) => [row.name, row.id])),
    users: new Set(list<{ username: string }>(users?.body, "users").map((row) => row.username.toLowerCase())),
  };
}

async function importArtifacts(source: PacketonSource, client: SatchelClient, name: string, artifacts: { version: string; distUrl: string }[], out: (line: string) => void): Promise<Outcome[]> {
  const detail = await client.call("GET", `/api/packages/${name}`);
  const present = new Set(detail.status === 200 && Array.isArray(detail.body.versions) ? (detail.body.versions as { version: string }[]).map((entry) => entry.version) : []);
  const outcomes: Outcome[] = [];
  for (const { version, distUrl } of artifacts) {
    const item = `${name} ${version}`;
    if (present.has(version)) {
      outcomes.push({ item, state: "already there" });
      continue;
    }
    let zip: Uint8Array;
    try {
      zip = await downloadArtifact(source, distUrl);
    } catch (error) {
      if (error instanceof PacketonReadError && error.retry) throw new ImportStopped(`stopped at ${item}: ${error.message}`);
      outcomes.push({ item, state: "failed", detail: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const { status, body } = await client.upload(`/api/packages/upload/${name}/${encodeURIComponent(version)}`, zip);
    outcomes.push(status === 201 ? { item, state: "added" } : { item, state: "failed", detail: errorMessage(body) ?? `HTTP ${status}` });
    out(`${status === 201 ? "uploaded" : "refused"}: ${item}${status === 201 ? "" : ` (${errorMessage(body) ?? status})`}`);
  }
  return outcomes;
}

async function importGroup(client: SatchelClient, group: PacketonGroup, existing: Map<string, number>, groupIds: Map<number, number>, out: (line: string) => void): Promise<Outcome> {
  const item = `group ${group.name}`;
  const known = existing.get(group.name);
  if (known !== undefined) {
    groupIds.set(group.id, known);
    return { item, state: "already there" };
  }
  const packages = group.packages.map((grant) => ({ name: grant.name, ...(grant.version ? { version: grant.version } : {}) }));
  const { status, body } = await client.call("POST", "/api/groups", { name: group.name, packages });
  if (status !== 201 || typeof body.id !== "number") return { item, state: "failed", detail: errorMessage(body) ?? `HTTP ${status}` };
  groupIds.set(group.id, body.id);
  out(`added ${item} (${packages.length} packages)`);
  return { item, state: "added" };
}

async function importUser(client: SatchelClient, user: PacketonUser, existing: Set<string>, groupIds: Map<number, number>, out: (line: string) => void): Promise<Outcome> {
  const item = `user ${user.username}`;
  if (existing.has(user.username.toLowerCase())) return { item, state: "already there" };
  const role = SATCHEL_ROLES.find((known) => user.roles.includes(known)) ?? "ROLE_USER";
  const { status, body } = await client.call("POST", "/api/users", {
    username: user.username,
    email: user.email,
    roles: [role],
    groups: user.groups.flatMap((id) => (groupIds.has(id) ? [groupIds.get(id)!] : [])),
    expiresAt: user.expiresAt,
    expiredUpdatesAt: user.expiredUpdatesAt,
    disabled: !user.enabled,
  });
  if (status !== 201) return { item, state: "failed", detail: errorMessage(body) ?? `HTTP ${status}` };
  out(`added ${item}`);
  return { item, state: "added" };
}
