// Route parameters are checked once, by middleware placed before the handler: a handler reads
// `c.req.valid("param")`, never a raw `c.req.param()`, so a bad id or package name gets the same
// answer on every route.
import type { Context, MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { notFoundFor } from "../composer/package-path.ts";
import type { AppEnv } from "./context.ts";
import { routeId } from "./json-body.ts";

type RawParams = Record<string, string>;

/** The `Input` a params middleware gives a route: `c.req.valid("param")` is typed `T`. */
export interface ParamInput<T> {
  in: { param: RawParams };
  out: { param: T };
}

/** A handler defined apart from its route (not inline) that reads checked params `T`. */
export type ParamContext<T> = Context<AppEnv, string, ParamInput<T>>;

/** Middleware that turns the route's (already percent-decoded) params into `T`, or throws the 4xx. */
export function checkedParams<T>(check: (params: RawParams) => T): MiddlewareHandler<AppEnv, string, ParamInput<T>> {
  return validator("param", (params: RawParams) => check(params)) as MiddlewareHandler<AppEnv, string, ParamInput<T>>;
}

/** Numeric ids (`:id`, `:tokenId`): positive safe integers, else 400 "Invalid id.". */
export function idParams<K extends string>(...names: K[]): MiddlewareHandler<AppEnv, string, ParamInput<Record<K, number>>> {
  return checkedParams((params) => Object.fromEntries(names.map((name) => [name, routeId(params[name])])) as Record<K, number>);
}

/** Free-text params passed on as given (job ids, host names): the lookup answers for an unknown one. */
export function textParams<K extends string>(...names: K[]): MiddlewareHandler<AppEnv, string, ParamInput<Record<K, string>>> {
  return checkedParams((params) => Object.fromEntries(names.map((name) => [name, params[name] ?? ""])) as Record<K, string>);
}

/**
 * `:vendor/:name` as one package name checked with THE package-name rule (255 characters at most).
 * An invalid name is answered as an unknown package (404) unless the route says otherwise.
 */
export function packageNameFromParams(params: RawParams, invalid: (requested: string) => Error = notFoundFor): string {
  const requested = `${params.vendor ?? ""}/${params.name ?? ""}`;
  if (!isValidPackageName(requested)) throw invalid(requested);
  return requested;
}

export function packageParam(invalid?: (requested: string) => Error): MiddlewareHandler<AppEnv, string, ParamInput<{ packageName: string }>> {
  return checkedParams((params) => ({ packageName: packageNameFromParams(params, invalid) }));
}

/**
 * The `vendor/name` a request names, unchecked: for authorization that must answer (401/403)
 * before the name is validated, and only compares it with a name it already trusts.
 */
export function requestedPackageName(c: Context): string {
  return `${c.req.param("vendor") ?? ""}/${c.req.param("name") ?? ""}`;
}
