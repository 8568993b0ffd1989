// Middleware for the Composer endpoints: a Composer client older than the instance's minimum
// version is refused with 426 Upgrade Required and a `warning` Composer prints (it prints the
// `warning` of a JSON error body, COMPOSER-PROTOCOL.md; 426 is not retried and, unlike 401/403,
// does not make Composer ask for other credentials). Clients that are not a Composer release
// (no User-Agent, curl, a development build) are not judged: the User-Agent is the client's
// word, so this steers honest clients to a version with the features a repository relies on; it
// is not an access control.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { composerVersionOf, isOlderComposer } from "./composer-client.ts";
import { normalize } from "../composer-rules/version-parser.ts";

/**
 * `withCatalog`: for an endpoint that reads the catalog snapshot anyway (packages.json), the
 * policies come with it (one query for both). Elsewhere from the snapshot still in memory (a p2
 * after its packages.json), else from their own row, once per cache TTL.
 */
export const requireComposerVersion = ({ withCatalog = false } = {}): MiddlewareHandler<AppEnv> =>
  async function requireComposerVersion(c, next) {
    const userAgent = c.req.header("user-agent");
    // Only a Composer release is judged, so only its requests read the policy.
    const version = composerVersionOf(userAgent);
    if (version === null) return next();
    const services = c.get("services");
    const now = services.now();
    const { minimumComposerVersion } = withCatalog ? (await services.catalog.snapshot(now)).policies : (services.catalog.cachedPolicies(now) ?? (await services.policies.current(now)));
    if (minimumComposerVersion && isOlderComposer(version, normalize(minimumComposerVersion))) {
      const message = `This repository requires Composer ${minimumComposerVersion} or newer; this is ${userAgent?.trim().split(/[\s(]/)[0]}. Run \`composer self-update\`.`;
      throw new AppError(426, "composer_too_old", message, { composerWarning: message });
    }
    await next();
  };
