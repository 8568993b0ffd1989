// Validation of user documents for POST/PUT /api/users.
import { badRequest } from "../http/errors.ts";
import { optionalDate, optionalIdList, optionalString, type JsonObject } from "../http/json-body.ts";
import { isRole, type Role } from "../auth/roles.ts";

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 8;

export interface UserInput {
  username?: string;
  email?: string | null;
  password?: string;
  roles?: Role[];
  groups?: number[];
  expiresAt?: number | null;
  expiredUpdatesAt?: number | null;
  disabled?: boolean;
  passwordSignIn?: boolean;
  /** Set only when creating: a service account never gets a password. */
  kind?: "person" | "service";
}

export function readUserInput(body: JsonObject, creating: boolean): UserInput {
  const input: UserInput = {};
  const username = optionalString(body, "username", 64);
  if (username !== undefined && username !== null) {
    if (!USERNAME_PATTERN.test(username)) throw badRequest('"username" must be 2-64 characters: letters, digits, . _ @ -', "invalid_username");
    input.username = username;
  } else if (creating) {
    throw badRequest('"username" is required.', "invalid_username");
  }
  const email = optionalString(body, "email", 254);
  if (email !== undefined) {
    if (email !== null && email !== "" && !/^[^\s@]+@[^\s@]+$/.test(email)) throw badRequest('"email" is not an email address.');
    input.email = email || null;
  }
  if (body.password !== undefined) {
    if (typeof body.password !== "string" || body.password.length < MIN_PASSWORD_LENGTH || body.password.length > 1024) {
      throw badRequest(`"password" must be a string of at least ${MIN_PASSWORD_LENGTH} characters.`, "weak_password");
    }
    input.password = body.password;
  }
  if (body.roles !== undefined) {
    if (!Array.isArray(body.roles) || body.roles.length === 0 || !body.roles.every(isRole)) {
      throw badRequest('"roles" must list one or more of ROLE_ADMIN, ROLE_MAINTAINER, ROLE_FULL_CUSTOMER, ROLE_USER.', "invalid_roles");
    }
    input.roles = [...new Set(body.roles)];
  } else if (creating) {
    input.roles = ["ROLE_USER"];
  }
  input.groups = optionalIdList(body, "groups");
  input.expiresAt = optionalDate(body, "expiresAt");
  input.expiredUpdatesAt = optionalDate(body, "expiredUpdatesAt");
  if (body.disabled !== undefined) {
    if (typeof body.disabled !== "boolean") throw badRequest('"disabled" must be true or false.');
    input.disabled = body.disabled;
  }
  if (body.passwordSignIn !== undefined) {
    if (typeof body.passwordSignIn !== "boolean") throw badRequest('"passwordSignIn" must be true or false.');
    input.passwordSignIn = body.passwordSignIn;
  }
  return input;
}
