// What an admin sets over a package's versions, on its page: archived (with the button that
// archives or restores it), metadata patches as diffs, and a custom package's definitions with
// forms to define or remove a version. Plus the page that edits one version's patch.
import { html } from "hono/html";
import type { LinkMap, VersionEntry } from "../src/composer-rules/version-entry.ts";
import type { PackageRow } from "../src/packages/package-store.ts";
import type { patchViews } from "../src/packages/patch-view.ts";
import { PATCHABLE_LINKS, type LinkDiff, type PatchableLink, type VersionPatch } from "../src/packages/version-patch.ts";
import { actionButton, csrfField } from "./components/form.ts";

export type PatchView = ReturnType<typeof patchViews>[number];

export interface PackageStateView {
  csrf: string;
  row: PackageRow;
  patches: PatchView[];
  /** A custom package's version definitions (JSON as given); empty for other packages. */
  definitions: Record<string, unknown>[];
}

export function packageStateSections(view: PackageStateView) {
  const { row, csrf } = view;
  const base = `/admin/packages/${row.name}`;
  return html`${row.archived
    ? html`<div class="flash error"><strong>Archived:</strong> hidden from Composer (packages.json, metadata, archives, list and search) for everyone; kept here. ${actionButton(`${base}/archive`, csrf, "Restore", { hidden: { archived: "0" } })}</div>`
    : ""}
${view.patches.length ? html`<h2>Metadata patches</h2><div class="card">${view.patches.map((patch) => patchCard(csrf, row.name, patch))}</div>` : ""}
${row.kind === "custom" ? definitionsSection(csrf, row.name, view.definitions) : ""}
${row.archived ? "" : html`<h2>Archive</h2><div class="card"><p>Archiving hides the package from every Composer client (admins included) and keeps its versions and archives; restoring brings it back unchanged.</p>
${actionButton(`${base}/archive`, csrf, `Archive ${row.name}`, { hidden: { archived: "1" } })}</div>`}`;
}

function patchCard(csrf: string, name: string, patch: PatchView) {
  const version = patch.version ?? patch.version_normalized;
  return html`<div class="patch"><h3><code>${version}</code> <span class="small muted">by ${patch.createdBy ?? "?"}, ${patch.createdAt}</span></h3>
${patch.diff ? diffList(patch.diff) : html`<p class="muted small">This version is not published right now; the patch applies when it comes back.</p>`}
<a href="/admin/packages/${name}/versions/${encodeURIComponent(version)}/patch">Edit</a>
${actionButton(`/admin/packages/${name}/versions/${encodeURIComponent(version)}/patch/remove`, csrf, "Remove patch", { small: true })}</div>`;
}

function diffList(diff: Partial<Record<PatchableLink, LinkDiff>>) {
  return html`<ul class="small">${Object.entries(diff).flatMap(([link, change]) => [
    ...Object.entries(change.changed).map(([target, { from, to }]) => html`<li>${link} <code>${target}</code>: <del>${from}</del> → <ins>${to}</ins></li>`),
    ...Object.entries(change.added).map(([target, constraint]) => html`<li>${link} <code>${target}</code>: <ins>+ ${constraint}</ins></li>`),
    ...Object.entries(change.removed).map(([target, constraint]) => html`<li>${link} <code>${target}</code>: <del>− ${constraint}</del></li>`),
  ])}</ul>`;
}

function definitionsSection(csrf: string, name: string, definitions: Record<string, unknown>[]) {
  return html`<h2>Version definitions (JSON)</h2><div class="card">
${definitions.map((definition) => html`<details><summary><code>${String(definition.version)}</code></summary><pre>${JSON.stringify(definition, null, 2)}</pre>
${actionButton(`/admin/packages/${name}/custom-versions/delete`, csrf, "Remove this version", { small: true, danger: true, hidden: { version: String(definition.version) } })}</details>`)}
<form method="post" action="/admin/packages/${name}/custom-versions">${csrfField(csrf)}
<label for="definition">Define a version (or redefine one): composer.json's fields plus <code>version</code> and <code>dist</code></label>
<textarea id="definition" name="definition" rows="8" required placeholder='{"version": "1.1.0", "require": {"php": ">=8.1"}, "dist": {"type": "zip", "url": "https://…", "shasum": "…"}}'></textarea>
<button type="submit">Save version</button></form></div>`;
}

/** The page that edits one version's patch: the published maps, and a textarea per map (one `name constraint` a line). */
export function patchEditPage(view: { csrf: string; name: string; entry: VersionEntry; patch: VersionPatch | null }) {
  const { entry, patch } = view;
  const action = `/admin/packages/${view.name}/versions/${encodeURIComponent(entry.version)}/patch`;
  return html`<h1>Patch <code>${view.name}</code> ${entry.version}</h1>
<p>A patch replaces the checked maps of this version in the metadata Composer reads. The published version is kept: removing the patch restores it, and a later read of the repository keeps the patch applied.</p>
<form class="card" method="post" action="${action}">${csrfField(view.csrf)}
${PATCHABLE_LINKS.map((link) => {
    const current = patch?.[link] ?? entry[link];
    return html`<label class="check"><input type="checkbox" name="patch-${link}" value="1"${patch?.[link] ? " checked" : ""}> Patch <code>${link}</code></label>
<p class="small muted">Published: ${linkText(entry[link]) || "nothing"}</p>
<textarea name="${link}" rows="4" placeholder="vendor/package ^1.2">${linkText(current)}</textarea>`;
  })}
<button type="submit">Save patch</button> <a href="/admin/packages/${view.name}">Cancel</a></form>`;
}

const linkText = (links: LinkMap | undefined) => Object.entries(links ?? {}).map(([target, constraint]) => `${target} ${constraint}`).join("\n");

/** `name constraint` lines back into a map (a line without a constraint is left as is for Composer's rules to refuse). */
export function parseLinkLines(text: string): LinkMap {
  const links: LinkMap = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const space = trimmed.search(/\s/);
    links[space === -1 ? trimmed : trimmed.slice(0, space)] = space === -1 ? "" : trimmed.slice(space).trim();
  }
  return links;
}
