// Page links for long lists (packages, audit log): the query string is kept, only `page` moves.
import { html } from "hono/html";

export function pagination(path: string, params: Record<string, string>, current: number, total: number, perPage: number) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return html``;
  const link = (n: number) => `${path}?${new URLSearchParams({ ...params, page: String(n) }).toString()}`;
  return html`<nav class="pager" aria-label="Pages">
${current > 1 ? html`<a class="button secondary" href="${link(current - 1)}" rel="prev">← Previous</a>` : ""}
<span class="muted">Page ${current} of ${pages}</span>
${current < pages ? html`<a class="button secondary" href="${link(current + 1)}" rel="next">Next →</a>` : ""}
</nav>`;
}
