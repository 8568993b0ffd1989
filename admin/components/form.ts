// Small form pieces shared by every page; each form carries the page's CSRF token.
import { html } from "hono/html";

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

/** A POST button in its own form (revoke, delete, update now). */
export function actionButton(action: string, csrf: string, label: string, options: { danger?: boolean; small?: boolean; hidden?: Record<string, string> } = {}) {
  const classes = [options.danger ? "danger" : "", options.small ? "small" : ""].filter(Boolean).join(" ");
  return html`<form class="inline" method="post" action="${action}">${csrfField(csrf)}${Object.entries(options.hidden ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit" class="${classes}">${label}</button></form>`;
}

/** A block of text with a copy button (progressive enhancement: selectable without JS). */
export function copyBlock(id: string, text: string, options: { wrap?: boolean } = {}) {
  return html`<div class="copy"><pre id="${id}"${options.wrap ? html` class="wrap"` : ""}>${text}</pre><button type="button" data-copy="${id}">Copy</button></div>`;
}
