// Incoming hooks, mounted under /api: one endpoint per provider, and the Packagist-compatible
// update hook.
import { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { bitbucket } from "./providers/bitbucket.ts";
import { generic } from "./providers/generic.ts";
import { gitea } from "./providers/gitea.ts";
import { github } from "./providers/github.ts";
import { gitlab } from "./providers/gitlab.ts";
import { receiveHook } from "./receive.ts";

/** Paths under /api, shown to admins when they set up a provider. */
export const INCOMING_ENDPOINTS = {
  github: "/api/github",
  gitlab: "/api/gitlab",
  gitea: "/api/gitea",
  bitbucket: "/api/bitbucket",
  generic: "/api/update-package",
} as const;

export function incomingHookRoutes() {
  const api = new Hono<AppEnv>();
  api.post("/github", receiveHook(github));
  api.post("/gitlab", receiveHook(gitlab));
  api.post("/gitea", receiveHook(gitea));
  api.post("/forgejo", receiveHook(gitea));
  api.post("/bitbucket", receiveHook(bitbucket));
  api.post("/update-package", receiveHook(generic));
  return api;
}
