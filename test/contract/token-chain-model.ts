// The token-chain property test's model: what each token should be able to do and until when,
// built from the rules (README, "Security: tokens and sessions"), plus a seeded PRNG.
import { SCOPES, type Scope } from "../../src/auth/roles.ts";
import { mulberry32 } from "../support/mulberry32.ts";

export interface Random {
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T | undefined;
  sample<T>(items: readonly T[], count: number): T[];
}

/** The chain's random choices, from a seed. */
export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    pick: (items) => (items.length ? items[int(items.length)] : undefined),
    sample: (items, count) => Array.from({ length: Math.min(count, items.length) }, () => items[int(items.length)] as (typeof items)[number]),
  };
}

export interface ChainToken {
  id: number;
  token: string;
  label: string;
  origin: "api" | "page" | "password" | "service";
  parent: ChainToken | null;
  children: ChainToken[];
  rights: Set<Scope>;
  expiresAt: number | null;
  revoked: boolean;
}

export interface TokenRequest {
  body: Record<string, unknown>;
  rights: Set<Scope>;
  expiresAt: number | null;
}

export interface ChildRequest extends TokenRequest {
  expectStatus: number;
}

const DAY = 86_400_000;

export class ChainModel {
  readonly tokens: ChainToken[] = [];

  add(input: Omit<ChainToken, "label" | "children" | "revoked">): ChainToken {
    const token: ChainToken = { ...input, label: `#${this.tokens.length} (${input.origin}, id ${input.id})`, children: [], revoked: false };
    input.parent?.children.push(token);
    this.tokens.push(token);
    return token;
  }

  ancestors(token: ChainToken): ChainToken[] {
    const chain: ChainToken[] = [];
    for (let at = token.parent; at; at = at.parent) chain.push(at);
    return chain;
  }

  /** Alive when neither it nor any ancestor is revoked or expired. */
  alive(token: ChainToken, now: number): boolean {
    return [token, ...this.ancestors(token)].every((link) => !link.revoked && (link.expiresAt === null || link.expiresAt > now));
  }

  /** Revokes a token and everything it minted, transitively; returns them all. */
  revoke(token: ChainToken): ChainToken[] {
    const family = [token];
    for (let i = 0; i < family.length; i++) family.push(...(family[i] as ChainToken).children);
    for (const member of family) member.revoked = true;
    return family;
  }

  /** A random POST /api/tokens by `parent`, and what the rules say comes of it. */
  childRequest(parent: ChainToken, random: Random, now: number): ChildRequest {
    const body: Record<string, unknown> = { name: `child of ${parent.id}` };
    const scopeRoll = random.next();
    let asked: Scope[] = [];
    if (scopeRoll >= 0.2 && scopeRoll < 0.35) body.scopes = [];
    else if (scopeRoll >= 0.35) body.scopes = asked = someScopes(random);
    const widens = asked.some((scope) => !parent.rights.has(scope));

    const expiryRoll = random.next();
    let askedExpiry: number | null = null;
    if (expiryRoll >= 0.35 && expiryRoll < 0.45) body.expiresAt = null;
    else if (expiryRoll >= 0.45 && expiryRoll < 0.5) askedExpiry = now - 60_000;
    else if (expiryRoll >= 0.5) {
      const horizon = parent.expiresAt ?? now + 30 * DAY;
      askedExpiry = expiryRoll < 0.8 ? now + 1000 + random.int(Math.max(1, horizon - now - 1000)) : horizon + 60_000 + random.int(DAY);
    }
    if (askedExpiry !== null) body.expiresAt = new Date(askedExpiry).toISOString();
    const badExpiry = askedExpiry !== null && (askedExpiry <= now || (parent.expiresAt !== null && askedExpiry > parent.expiresAt));

    const expectStatus = !this.alive(parent, now) ? 401 : widens || badExpiry ? 400 : 201;
    return { body, expectStatus, rights: asked.length ? new Set(asked) : new Set(parent.rights), expiresAt: askedExpiry ?? parent.expiresAt };
  }

  /** A random token asked for with the password or on /account (the owner holds every scope). */
  rootRequest(random: Random, now: number, granularity = 1): TokenRequest {
    const body: Record<string, unknown> = {};
    let rights = new Set<Scope>(SCOPES);
    if (random.next() < 0.5) {
      const asked = someScopes(random);
      body.scopes = asked;
      rights = new Set(asked);
    }
    let expiresAt: number | null = null;
    if (random.next() < 0.5) {
      // Dates on /account are days (UTC midnight); the API takes any instant.
      expiresAt = granularity === DAY ? (Math.floor(now / DAY) + 1 + random.int(20)) * DAY : now + 60_000 + random.int(2 * DAY);
      body.expiresAt = new Date(expiresAt).toISOString();
    }
    return { body, rights, expiresAt };
  }
}

function someScopes(random: Random): Scope[] {
  const picked = SCOPES.filter(() => random.next() < 0.5);
  return picked.length ? picked : [SCOPES[random.int(SCOPES.length)] as Scope];
}
