// Writing one package: a principal with packages:write, or a token confined to that package
// (trusted publishing). Such a token holds no scope, so every other route refuses it.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { requestedPackageName } from "../http/route-params.ts";
import { currentPrincipal } from "./middleware.ts";
import type { Principal } from "./principal.ts";

export function mayWritePackage(principal: Principal, packageName: string): boolean {
  return principal.scopes.includes("packages:write") || principal.packageWrite === packageName;
}

/** Whether the principal writes packages at all (any, or the one its token is confined to). */
export function writesPackages(principal: Principal): boolean {
  return principal.scopes.includes("packages:write") || principal.packageWrite !== undefined;
}

export function refusePackage(principal: Principal): AppError {
  if (principal.packageWrite !== undefined) return new AppError(403, "forbidden", `This token may only upload to and update ${principal.packageWrite}.`);
  return new AppError(403, "forbidden", 'This requires the "packages:write" right.');
}

/** For routes under /:vendor/:name: 401 without credentials, 403 unless the principal may write that package. */
export const requirePackageWrite = (): MiddlewareHandler<AppEnv> =>
  async function requirePackageWrite(c, next) {
    const principal = currentPrincipal(c);
    // Before the name is checked: a token confined to another package gets its 403, not a 400.
    if (!mayWritePackage(principal, requestedPackageName(c))) throw refusePackage(principal);
    await next();
  };
