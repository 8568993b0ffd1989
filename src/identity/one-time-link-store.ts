// Invitation and password-reset links: a random token in the mail, its SHA-256 in the DB. A link
// works once (consumed in one statement) and not after it expires.
import { and, eq, gt, isNull } from "drizzle-orm";
import { sha256Hex } from "../crypto/digest.ts";
import { oneTimeLinks } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export type LinkPurpose = "invite" | "reset";

export async function createLink(db: Database, purpose: LinkPurpose, userId: number, now: number, lifetimeMs: number): Promise<string> {
  const token = Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, "0")).join("");
  await db.orm.insert(oneTimeLinks).values({ tokenHash: await sha256Hex(token), purpose, userId, expiresAt: now + lifetimeMs, createdAt: now });
  return token;
}

/** The user a live link is for (without using it up), or null. */
export async function liveLinkUser(db: Database, purpose: LinkPurpose, token: string, now: number): Promise<number | null> {
  const row = await db.orm.select({ userId: oneTimeLinks.userId }).from(oneTimeLinks).where(live(purpose, await sha256Hex(token.slice(0, 128)), now)).get();
  return row?.userId ?? null;
}

/** Uses the link up; the user it was for, or null when it was used, expired or never existed. */
export async function consumeLink(db: Database, purpose: LinkPurpose, token: string, now: number): Promise<number | null> {
  const [row] = await db.orm.update(oneTimeLinks).set({ usedAt: now }).where(live(purpose, await sha256Hex(token.slice(0, 128)), now)).returning({ userId: oneTimeLinks.userId });
  return row?.userId ?? null;
}

function live(purpose: LinkPurpose, tokenHash: string, now: number) {
  return and(eq(oneTimeLinks.tokenHash, tokenHash), eq(oneTimeLinks.purpose, purpose), isNull(oneTimeLinks.usedAt), gt(oneTimeLinks.expiresAt, now));
}
