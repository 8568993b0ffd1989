// The isolation property test's world and its expected answers: a seeded random catalog,
// groups, users and tokens, and a small independent model of who may see what. It restates
// the README's rules from scratch (it never calls the app's visibility code):
// - maintainers and full customers see every package; everyone sees public packages;
//   a customer sees a package some group grants by name or `vendor/*`;
// - a version is visible when one matching grant admits it: its constraint (none, `<2.0`,
//   `>=2.0`, `^1.0`; a `dev-` branch only passes "no constraint"), and neither the grant's
//   group freeze nor the user's freeze is before the time Satchel first published it
//   (uploads: the upload time; VCS: the earlier of commit time and first-seen time);
// - a group may hide sources, branches, or versions less stable than `stable`: a version is
//   visible when one matching grant admits it after its group's restrictions, and keeps its
//   `source` when one admitting grant's group does not hide sources (public packages and roles
//   that see every package are not restricted);
// - an archived package exists for no Composer reader (admins and maintainers included), on every
//   Composer endpoint and inside every sub-repository; only the REST API still shows it to a
//   principal with `packages:write` (a maintainer's unscoped token), to restore it;
// - a version flagged as malware or compromised is visible to no one; its zipball answers 410 to
//   whoever would see it unflagged, 404 to everyone else;
// - a disabled or expired user, and an expired, revoked or metadata-less token, reads nothing.

import { mulberry32 } from "../support/mulberry32.ts";

export const DAY = 24 * 60 * 60 * 1000;
export const T0 = Date.parse("2024-01-01T00:00:00Z");
const RELEASES = ["1.0.0", "1.1.0", "2.0.0-beta1", "2.0.0", "2.1.0", "3.0.0"];
const NORMALIZED: Record<string, string> = { "2.0.0-beta1": "2.0.0.0-beta1" };
const CONSTRAINTS = [null, "<2.0", ">=2.0", "^1.0"] as const;

/** The world's random choices, from a seed. */
export function prng(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    token: () => Math.floor(next() * 2 ** 32).toString(36).padStart(7, "0"),
  };
}

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  token(): string;
}

export interface VersionSpec {
  version: string;
  normalized: string;
  dev: boolean;
  /** A unique token: it must appear only where this version is visible. */
  description: string;
  /** The `time` the archive or commit claims (may lie). */
  claimedTime: string | null;
  /** Filled in as it is published. */
  reference: string;
  publishedAt: number;
  /** Replaced by a later publish (a moved branch): visible to no one. */
  superseded: boolean;
  /** Flagged as malware or compromised: visible to no one, its zipball 410 for who would see it. */
  flagged: boolean;
  /** Published with a `source` (VCS versions). */
  hasSource: boolean;
}

export interface PackageSpec {
  name: string;
  vendor: string;
  kind: "artifact" | "vcs";
  isPublic: boolean;
  /** Archived after it is published: hidden from every Composer reader. */
  archived: boolean;
  versions: VersionSpec[];
}

export interface GroupSpec {
  grants: { pattern: string; constraint: string | null }[];
  freeze: number | null;
  hideSources: boolean;
  hideDev: boolean;
  /** minimumStability "stable": pre-releases and branches hidden. */
  stableOnly: boolean;
  id: number;
}

export interface TokenSpec {
  scopes: string[] | null;
  expires: boolean;
  revoked: boolean;
  secret: string;
}

export interface UserSpec {
  username: string;
  password: string;
  role: "ROLE_USER" | "ROLE_FULL_CUSTOMER" | "ROLE_MAINTAINER";
  groups: number[];
  freeze: number | null;
  expires: boolean;
  disabled: boolean;
  tokens: TokenSpec[];
}

export interface World {
  prefix: string;
  packages: PackageSpec[];
  groups: GroupSpec[];
  users: UserSpec[];
}

export function generateWorld(random: Random): World {
  const prefix = `iso${random.token()}`;
  const vendors = [0, 1, 2].map((i) => `${prefix}v${i}${random.token()}`);
  const packages: PackageSpec[] = [];
  const count = random.int(3, 6);
  for (let i = 0; i < count; i++) {
    const vendor = random.pick(vendors);
    const kind = random.chance(0.4) ? "vcs" : "artifact";
    const releases = RELEASES.filter(() => random.chance(0.5));
    if (releases.length === 0) releases.push(random.pick(RELEASES));
    const versions = releases.map((version) => versionSpec(random, version, NORMALIZED[version] ?? `${version}.0`, false));
    if (kind === "vcs" && random.chance(0.7)) versions.push(versionSpec(random, "dev-main", "dev-main", true));
    packages.push({ name: `${vendor}/p${i}${random.token()}`, vendor, kind, isPublic: random.chance(0.15), archived: false, versions });
  }
  // Freezes fall inside the weeks the catalog is published over.
  const span = 30;
  const groups: GroupSpec[] = [];
  for (let i = 0, n = random.int(2, 4); i < n; i++) {
    const grants = [];
    for (let j = 0, m = random.int(1, 3); j < m; j++) {
      const target = random.pick(packages);
      grants.push({ pattern: random.chance(0.25) ? `${target.vendor}/*` : target.name, constraint: random.pick(CONSTRAINTS) });
    }
    groups.push({ grants, freeze: random.chance(0.5) ? T0 + random.int(0, span) * DAY : null, hideSources: random.chance(0.4), hideDev: random.chance(0.5), stableOnly: random.chance(0.5), id: 0 });
  }
  const users: UserSpec[] = [];
  for (let i = 0, n = random.int(5, 8); i < n; i++) {
    const role = random.chance(0.7) ? "ROLE_USER" : random.pick(["ROLE_FULL_CUSTOMER", "ROLE_MAINTAINER"] as const);
    const tokens: TokenSpec[] = [];
    for (let j = 0, m = random.int(1, 3); j < m; j++) {
      tokens.push({ scopes: random.pick([null, null, ["metadata:read"], ["tokens"]]), expires: random.chance(0.15), revoked: random.chance(0.15), secret: "" });
    }
    users.push({
      username: `${prefix}u${i}`,
      password: `pw-${random.token()}-${random.token()}`,
      role,
      groups: [...new Set([0, 1].filter((n) => n === 0 || random.chance(0.5)).map(() => random.int(0, groups.length - 1)))],
      freeze: random.chance(0.25) ? T0 + random.int(0, span) * DAY : null,
      expires: random.chance(0.1),
      disabled: random.chance(0.1),
      tokens,
    });
  }
  // Some versions are flagged once published (never a package's only version, so the package stays).
  for (const pkg of packages) for (const version of pkg.versions) version.flagged = pkg.versions.length > 1 && random.chance(0.15);
  // One reader whose only group hides branches and pre-releases of a package that has some, so every
  // world exercises the restrictions (random groups often overlap with wider grants).
  const unstable = packages.find((pkg) => !pkg.isPublic && pkg.versions.some((version) => !version.flagged && (version.dev || version.version.includes("-"))));
  if (unstable) {
    groups.push({ grants: [{ pattern: unstable.name, constraint: null }], freeze: null, hideSources: true, hideDev: true, stableOnly: true, id: 0 });
    const tokens = [{ scopes: null, expires: false, revoked: false, secret: "" }];
    users.push({ username: `${prefix}r`, password: `pw-${random.token()}-${random.token()}`, role: "ROLE_USER", groups: [groups.length - 1], freeze: null, expires: false, disabled: false, tokens });
  }
  return { prefix, packages, groups, users };
}

function versionSpec(random: Random, version: string, normalized: string, dev: boolean): VersionSpec {
  return { version, normalized, dev, description: `desc${random.token()}${random.token()}`, claimedTime: null, reference: "", publishedAt: 0, superseded: false, flagged: false, hasSource: false };
}

/** null: this token reads nothing (401/403 everywhere). */
export function canRead(user: UserSpec, token: TokenSpec): boolean {
  if (user.disabled || user.expires || token.expires || token.revoked) return false;
  return token.scopes === null || token.scopes.includes("metadata:read");
}

/**
 * Archives some packages, drawn from their own stream so the rest of the world stays what the seed
 * always made: at least one, and sometimes a public one or one a sub-repository names.
 */
export function chooseArchived(random: Random, world: World): void {
  for (const pkg of world.packages) pkg.archived = random.chance(0.2);
  if (!world.packages.some((pkg) => pkg.archived)) random.pick(world.packages).archived = true;
}

/** `api`: as the REST API shows it, where a principal with packages:write still sees an archived package. */
export function packageVisible(world: World, user: UserSpec, pkg: PackageSpec, api?: { token: TokenSpec }): boolean {
  if (pkg.archived && !(api && writesPackages(user, api.token))) return false;
  return user.role !== "ROLE_USER" || pkg.isPublic || matchingGrants(world, user, pkg).length > 0;
}

function writesPackages(user: UserSpec, token: TokenSpec): boolean {
  return user.role === "ROLE_MAINTAINER" && token.scopes === null;
}

export function versionVisible(world: World, user: UserSpec, pkg: PackageSpec, version: VersionSpec): boolean {
  return !version.flagged && visibleUnflagged(world, user, pkg, version);
}

/** Whether the reader would see this version were it not flagged (then its zipball is 410, not 404). */
export function visibleUnflagged(world: World, user: UserSpec, pkg: PackageSpec, version: VersionSpec): boolean {
  if (version.superseded) return false;
  const userFreezeOk = user.freeze === null || version.publishedAt <= user.freeze;
  if (user.role !== "ROLE_USER" || pkg.isPublic) return userFreezeOk;
  return userFreezeOk && admittingGroups(world, user, pkg, version).length > 0;
}

/** Whether the reader's p2 entry of a visible version carries its `source`. */
export function sourceShown(world: World, user: UserSpec, pkg: PackageSpec, version: VersionSpec): boolean {
  if (!version.hasSource) return false;
  if (user.role !== "ROLE_USER" || pkg.isPublic) return true;
  return admittingGroups(world, user, pkg, version).some((group) => !group.hideSources);
}

function admittingGroups(world: World, user: UserSpec, pkg: PackageSpec, version: VersionSpec): GroupSpec[] {
  return matchingGrants(world, user, pkg)
    .filter(({ grant, group }) => (group.freeze === null || version.publishedAt <= group.freeze) && satisfies(version, grant.constraint))
    .filter(({ group }) => !(group.hideDev && version.dev) && !(group.stableOnly && !isStable(version)))
    .map(({ group }) => group);
}

/** Stable: neither a branch nor a pre-release (`2.0.0-beta1`). */
function isStable(version: VersionSpec): boolean {
  return !version.dev && !version.version.includes("-");
}

function matchingGrants(world: World, user: UserSpec, pkg: PackageSpec) {
  return user.groups.flatMap((index) => {
    const group = world.groups[index] as GroupSpec;
    return group.grants.filter((grant) => grant.pattern === pkg.name || grant.pattern === `${pkg.vendor}/*`).map((grant) => ({ grant, group }));
  });
}

function satisfies(version: VersionSpec, constraint: string | null): boolean {
  if (constraint === null) return true;
  if (version.dev) return false;
  const major = Number(version.version.split(".")[0]);
  if (constraint === "<2.0") return major < 2;
  if (constraint === ">=2.0") return major >= 2;
  if (constraint === "^1.0") return major === 1;
  throw new Error(`the model does not know ${constraint}`);
}

/** What a reader should see of the whole world. */
export interface Expected {
  names: string[];
  secrets: string[];
  visible: (pkg: PackageSpec) => boolean;
  versions: (pkg: PackageSpec, dev: boolean | null) => string[];
  descriptions: (pkg: PackageSpec) => string[];
  /** Visible versions whose p2 entry carries `source`, sorted. */
  withSource: (pkg: PackageSpec) => string[];
  /** The zipball status for a version's reference: 200, 410 (flagged) or 404. */
  zipball: (pkg: PackageSpec, version: VersionSpec) => 200 | 404 | 410;
}

export function expectedFor(world: World, user: UserSpec, api?: { token: TokenSpec }): Expected {
  const visible = (pkg: PackageSpec) => packageVisible(world, user, pkg, api);
  return expectedFrom(world, visible, (pkg, version) => visible(pkg) && versionVisible(world, user, pkg, version), userReader(world, user));
}

/** What a reader's grants say beyond which versions show: sources, and 410 against 404. */
interface Reader {
  sourceShown(pkg: PackageSpec, version: VersionSpec): boolean;
  visibleUnflagged(pkg: PackageSpec, version: VersionSpec): boolean;
}

function userReader(world: World, user: UserSpec): Reader {
  return { sourceShown: (pkg, version) => sourceShown(world, user, pkg, version), visibleUnflagged: (pkg, version) => visibleUnflagged(world, user, pkg, version) };
}

// Sub-repositories (restated from the README, independent of src/):
// - a sub-repository holds the packages its patterns name (`vendor/name`, `vendor/*`); nothing
//   else exists inside it, public packages and upstreams included;
// - a public one shows everyone, with or without credentials, every version of its packages;
// - a private one shows a reader the intersection: its packages AND what the reader sees at the
//   root, version by version; a reader who sees none of its packages (and is not staff or a full
//   customer) gets 404 for all of it, as for an unknown one; no credentials: 401.

export interface SubrepositorySpec {
  slug: string;
  patterns: string[];
  isPublic: boolean;
}

export function generateSubrepositories(random: Random, world: World): SubrepositorySpec[] {
  const subs: SubrepositorySpec[] = [];
  for (let i = 0, n = random.int(2, 3); i < n; i++) {
    const patterns = new Set<string>();
    for (let j = 0, m = random.int(1, 3); j < m; j++) {
      const target = random.pick(world.packages);
      patterns.add(random.chance(0.25) ? `${target.vendor}/*` : target.name);
    }
    // A name no package has (yet): accepted, and changes nothing.
    if (random.chance(0.5)) patterns.add(`${world.prefix}future/p${random.token()}`);
    subs.push({ slug: `${world.prefix}s${i}`, patterns: [...patterns], isPublic: i === 0 || random.chance(0.3) });
  }
  return subs;
}

export function insideSubrepository(sub: SubrepositorySpec, pkg: PackageSpec): boolean {
  return sub.patterns.some((pattern) => pattern === pkg.name || pattern === `${pkg.vendor}/*`);
}

/** What a reader (null: no credentials) sees inside a sub-repository; null: refused (401 without credentials, else 404). */
export function expectedInside(world: World, sub: SubrepositorySpec, user: UserSpec | null): Expected | null {
  const inside = (pkg: PackageSpec) => insideSubrepository(sub, pkg);
  if (sub.isPublic) {
    // Everyone reads a public sub-repository as a public package: every version, every source;
    // flagged versions are withheld from everyone (their zipballs answer 410).
    const shown = (pkg: PackageSpec) => inside(pkg) && !pkg.archived;
    const everyone: Reader = { sourceShown: (_pkg, version) => version.hasSource, visibleUnflagged: (pkg, version) => shown(pkg) && !version.superseded };
    return expectedFrom(world, shown, (pkg, version) => shown(pkg) && !version.superseded && !version.flagged, everyone);
  }
  if (user === null) return null;
  const visible = (pkg: PackageSpec) => inside(pkg) && packageVisible(world, user, pkg);
  if (user.role === "ROLE_USER" && !world.packages.some(visible)) return null;
  return expectedFrom(world, visible, (pkg, version) => visible(pkg) && versionVisible(world, user, pkg, version), userReader(world, user));
}

function expectedFrom(world: World, visible: (pkg: PackageSpec) => boolean, shows: (pkg: PackageSpec, version: VersionSpec) => boolean, reader: Reader): Expected {
  const shown = (pkg: PackageSpec) => pkg.versions.filter((version) => shows(pkg, version));
  return {
    names: world.packages.filter(visible).map((pkg) => pkg.name).sort(),
    secrets: world.packages.flatMap((pkg) => [
      ...(visible(pkg) ? [] : [pkg.name]),
      ...pkg.versions.filter((version) => !shown(pkg).includes(version)).flatMap((version) => [version.description, version.reference]),
    ]),
    visible,
    versions: (pkg, dev) => shown(pkg).filter((version) => dev === null || version.dev === dev).map((version) => version.version).sort(),
    descriptions: (pkg) => shown(pkg).map((version) => version.description),
    withSource: (pkg) => shown(pkg).filter((version) => reader.sourceShown(pkg, version)).map((version) => version.version).sort(),
    zipball: (pkg, version) => {
      if (!visible(pkg)) return 404;
      // A moved branch's old head shares nothing but its package: 404 whatever its twin shows.
      if (shown(pkg).includes(version)) return 200;
      return version.flagged && reader.visibleUnflagged(pkg, version) ? 410 : 404;
    },
  };
}
