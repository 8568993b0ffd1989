// The users table behind domain verbs: the routes and pages never see the schema.
import { eq } from "drizzle-orm";
import { users } from "../db/schema.ts";
import { badRequest, notFound } from "../http/errors.ts";
import type { Services } from "../services.ts";

/** Deletes a user (never the one asking) and forgets what they could see; returns their name. */
export async function deleteUser(services: Pick<Services, "db" | "forgetAccess">, actorId: number | undefined, id: number): Promise<string> {
  if (id === actorId) throw badRequest("You cannot delete your own account.");
  const deleted = await services.db.orm.delete(users).where(eq(users.id, id)).returning({ username: users.username }).get();
  if (!deleted) throw notFound("No such user.");
  services.forgetAccess(id);
  return deleted.username;
}
