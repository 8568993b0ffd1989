// The page frame shared by admin and customer pages. hono/html escapes every interpolated value;
// templates are plain TypeScript so that Node runs them without a build step.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { COPY_BUTTONS_PATH } from "./assets.ts";
import { STYLES } from "./styles.ts";

export type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface Flash {
  kind: "ok" | "error";
  text: string;
}

export interface Viewer {
  username: string;
  isAdmin: boolean;
  isMaintainer: boolean;
}

export interface PageOptions {
  viewer?: Viewer;
  csrf?: string;
  flash?: Flash | null;
  /** The nav entry to highlight. */
  active?: string;
}

export function page(title: string, body: Content, options: PageOptions = {}) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · Satchel</title>
<style>${raw(STYLES)}</style>
</head>
<body>
<header class="top"><div class="bar">
<a class="brand" href="/">Satchel</a>
${options.viewer ? navigation(options.viewer, options.active ?? "") : ""}
${options.viewer
  ? html`<form class="who" method="post" action="/logout"><input type="hidden" name="_csrf" value="${options.csrf ?? ""}">${navLink("tokens", "/account/tokens", "Tokens", options.active ?? "")}${navLink("account", "/account", options.viewer.username, options.active ?? "", "Your account")}<button type="submit">Sign out</button></form>`
  : ""}
</div></header>
<main>
${options.flash ? html`<div class="flash ${options.flash.kind}" role="${options.flash.kind === "error" ? "alert" : "status"}">${options.flash.text}</div>` : ""}
${body}
</main>
<script src="${COPY_BUTTONS_PATH}" defer></script>
</body>
</html>`;
}

function navigation(viewer: Viewer, active: string) {
  const links: [string, string, string][] = [];
  if (viewer.isMaintainer) {
    links.push(["dashboard", "/", "Dashboard"], ["packages", "/admin/packages", "Packages"]);
    if (viewer.isAdmin) links.push(["users", "/admin/users", "Users"], ["service-accounts", "/admin/service-accounts", "Service accounts"], ["identity-providers", "/admin/identity-providers", "Sign-in"], ["groups", "/admin/groups", "Groups"], ["subrepositories", "/admin/subrepositories", "Sub-repositories"], ["policies", "/admin/policies", "Policies"], ["credentials", "/admin/credentials", "Credentials"], ["integrations", "/admin/integrations", "Integrations"], ["webhooks", "/admin/webhooks", "Webhooks"]);
    if (viewer.isAdmin) links.push(["upstreams", "/admin/upstreams", "Upstreams"], ["advisories", "/admin/advisories", "Advisories"], ["security-alerts", "/admin/security-alerts", "Security alerts"]);
    links.push(["jobs", "/admin/jobs", "Jobs"], ["stats", "/admin/stats", "Statistics"]);
    if (viewer.isAdmin) links.push(["audit", "/admin/audit", "Audit log"]);
    links.push(["setup", "/my-packages", "My setup"]);
  } else {
    links.push(["home", "/", "My packages"]);
  }
  return html`<nav>${links.map(([key, href, label]) => navLink(key, href, label, active))}</nav>`;
}

function navLink(key: string, href: string, label: string, active: string, title?: string) {
  return html`<a href="${href}"${title ? html` title="${title}"` : ""}${key === active ? raw(' class="active" aria-current="page"') : ""}>${label}</a>`;
}
