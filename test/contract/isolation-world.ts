// Builds a generated World through the public API, as a vendor would: uploads and git-worker
// publishes at chosen clock times (archives and commits that lie about their dates, a branch
// that moves), public flags, advisories, groups (some hiding sources, branches or pre-releases),
// flagged versions, users and their tokens.
import { Client } from "./client.ts";
import type { Harness } from "./harness.ts";
import { DAY, T0, type PackageSpec, type Random, type SubrepositorySpec, type VersionSpec, type World } from "./isolation-model.ts";
import { claimJobOf, publishEntries, randomReference, uploadWorkerDist, workerCall } from "./worker-claims.ts";

const WORKER = "w-isolation";

/** Creates the sub-repositories through the API (after the world is built). */
export async function buildSubrepositories(harness: Harness, world: World, subs: SubrepositorySpec[]): Promise<void> {
  const client = new Client(harness.app);
  const admin = await client.adminToken();
  for (const sub of subs) await client.api(admin, "POST", "/api/subrepositories", { name: `${world.prefix} ${sub.slug}`, slug: sub.slug, packages: sub.patterns, public: sub.isPublic });
}

export async function buildWorld(harness: Harness, random: Random, world: World): Promise<number> {
  const client = new Client(harness.app);
  const admin = async () => client.adminToken();
  harness.clock.now = T0;
  const secondPhase: { pkg: PackageSpec; rest: VersionSpec[] }[] = [];
  for (const pkg of world.packages) {
    if (pkg.kind === "artifact") {
      for (const version of pkg.versions) {
        harness.clock.now += random.int(1, 3) * DAY;
        version.claimedTime = claimedTime(random, harness.clock.now);
        const composer = { description: version.description, ...(version.claimedTime ? { time: version.claimedTime } : {}) };
        version.reference = (await client.uploadOk(await admin(), pkg.name, version.version, composer)).reference;
        version.publishedAt = harness.clock.now;
      }
      continue;
    }
    harness.clock.now += random.int(1, 3) * DAY;
    const created = await client.api<{ job: string }>(await admin(), "POST", "/api/create-package", { repository: `https://git.example.test/${pkg.name}.git` });
    const first = pkg.versions.filter((version) => version.dev || random.chance(0.6));
    if (first.length === 0) first.push(pkg.versions[0] as VersionSpec);
    await publish(client, harness, random, await claimJobOf(client, created.job, WORKER), pkg, first);
    secondPhase.push({ pkg, rest: pkg.versions.filter((version) => !first.includes(version)) });
  }
  for (const { pkg } of secondPhase) {
    harness.clock.now += random.int(1, 3) * DAY;
    const branch = pkg.versions.find((version) => version.dev && !version.superseded);
    // The branch moves to a new commit: the old one is no longer served to anyone.
    if (branch && random.chance(0.6)) {
      branch.superseded = true;
      pkg.versions.push({ ...branch, description: `desc${random.token()}${random.token()}`, reference: "", superseded: false });
    }
    const queued = await client.api<{ jobs: string[] }>(await admin(), "POST", "/api/update-package", { repository: { url: `https://git.example.test/${pkg.name}.git` } });
    const current = pkg.versions.filter((version) => !version.superseded);
    await publish(client, harness, random, await claimJobOf(client, queued.jobs[0] as string, WORKER), pkg, current);
  }
  for (const pkg of world.packages) {
    if (pkg.isPublic) await client.api(await admin(), "PUT", `/api/packages/${pkg.name}`, { public: true });
    if (random.chance(0.5)) await client.api(await admin(), "POST", "/api/advisories", { packageName: pkg.name, title: `advisory for ${pkg.name}`, affectedVersions: ">=1.0" });
  }
  for (const group of world.groups) {
    const packages = group.grants.map((grant) => ({ name: grant.pattern, ...(grant.constraint ? { version: grant.constraint } : {}) }));
    const restrictions = { hideSources: group.hideSources, hideDevVersions: group.hideDev, minimumStability: group.stableOnly ? "stable" : null };
    const body = { name: `${world.prefix}g${random.token()}`, packages, ...restrictions, ...(group.freeze !== null ? { expiredUpdatesAt: new Date(group.freeze).toISOString() } : {}) };
    group.id = (await client.api<{ id: number }>(await admin(), "POST", "/api/groups", body)).id;
  }
  for (const pkg of world.packages.filter((candidate) => candidate.archived)) await client.api(await admin(), "PUT", `/api/packages/${pkg.name}`, { archived: true });
  for (const pkg of world.packages) {
    for (const version of pkg.versions.filter((candidate) => candidate.flagged && !candidate.superseded)) {
      await client.api(await admin(), "POST", `/api/packages/${pkg.name}/flags`, { version: version.version, kind: random.pick(["malware", "compromised"]), reason: `flagged in the isolation world` });
    }
  }
  const endOfSetup = harness.clock.now + DAY;
  for (const user of world.users) await createUser(client, await admin(), world, user, endOfSetup);
  // Read after every expiry set above has passed.
  harness.clock.now = endOfSetup + DAY;
  return endOfSetup;
}

async function createUser(client: Client, admin: string, world: World, user: World["users"][number], expiry: number): Promise<void> {
  const created = await client.api<{ id: number }>(admin, "POST", "/api/users", {
    username: user.username,
    password: user.password,
    roles: [user.role],
    groups: user.groups.map((index) => world.groups[index]?.id),
    ...(user.freeze !== null ? { expiredUpdatesAt: new Date(user.freeze).toISOString() } : {}),
    ...(user.expires ? { expiresAt: new Date(expiry).toISOString() } : {}),
  });
  const own = await client.passwordToken(user.username, user.password);
  for (const token of user.tokens) {
    const body = { name: "isolation", ...(token.scopes ? { scopes: token.scopes } : {}), ...(token.expires ? { expiresAt: new Date(expiry).toISOString() } : {}) };
    const issued = await client.api<{ id: number; token: string }>(own, "POST", "/api/tokens", body);
    token.secret = issued.token;
    if (token.revoked) await client.api(own, "DELETE", `/api/tokens/${issued.id}`);
  }
  if (user.disabled) await client.api(admin, "PUT", `/api/users/${created.id}`, { disabled: true });
}

/** What the archive or commit says its date is: nothing, the truth, or a lie either way. */
function claimedTime(random: Random, now: number): string | null {
  const choice = random.int(0, 3);
  if (choice === 0) return null;
  if (choice === 1) return new Date(now - DAY).toISOString();
  if (choice === 2) return new Date(T0 - 400 * DAY).toISOString();
  return new Date(now + 200 * DAY).toISOString();
}

/** Publishes `versions` for a claimed job as the git worker does (zipballs first). */
async function publish(client: Client, harness: Harness, random: Random, jobId: string, pkg: PackageSpec, versions: VersionSpec[]): Promise<void> {
  const now = harness.clock.now;
  const entries = [];
  for (const version of versions) {
    version.hasSource = true;
    if (!version.reference) {
      version.reference = randomReference();
      version.claimedTime = claimedTime(random, now) ?? new Date(now - DAY).toISOString();
      // Satchel first sees this commit now; the freeze reads the earlier of the two.
      version.publishedAt = Math.min(Date.parse(version.claimedTime), now);
      await uploadWorkerDist(client, pkg.name, version.reference);
    }
    entries.push({
      name: pkg.name,
      description: version.description,
      version: version.version,
      version_normalized: version.normalized,
      type: "library",
      time: version.claimedTime,
      source: { type: "git", url: `https://git.example.test/${pkg.name}.git`, reference: version.reference },
      dist: { type: "zip", url: "", reference: version.reference, shasum: "" },
      ...(version.dev ? { "default-branch": true } : {}),
    });
  }
  await publishEntries(client, jobId, WORKER, pkg.name, entries);
  await workerCall(client, `/jobs/${jobId}/finish`, { workerId: WORKER, status: "done", result: {} });
}
