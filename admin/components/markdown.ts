// A package's README as HTML, safe to embed: the README comes from whoever can push to the
// repository, so nothing in it may run in an admin's session. Raw HTML is shown as text (never
// passed through), every text run is escaped, and links and images keep only http(s) (and
// mailto for links) or relative URLs; javascript:, data:, vbscript: and the like are dropped.
import { raw } from "hono/html";
import { Marked, type Tokens } from "marked";

const LINK_SCHEMES = new Set(["http", "https", "mailto"]);
const IMAGE_SCHEMES = new Set(["http", "https"]);

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // Block and inline HTML, including <script> and <img onerror>, comes out as text.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeAll(token.text);
    },
    // marked leaves text after an inline <script> or <pre> tag unescaped (its "raw block"): never here.
    text(token: Tokens.Text | Tokens.Escape) {
      if ("tokens" in token && token.tokens) return this.parser.parseInline(token.tokens);
      return escapeText(token.text);
    },
    link(token: Tokens.Link) {
      const label = this.parser.parseInline(token.tokens);
      const href = allowedUrl(token.href, LINK_SCHEMES);
      if (href === null) return label;
      const title = token.title ? ` title="${escapeAll(token.title)}"` : "";
      return `<a href="${escapeAll(href)}"${title} rel="nofollow noopener noreferrer">${label}</a>`;
    },
    image(token: Tokens.Image) {
      const src = allowedUrl(token.href, IMAGE_SCHEMES);
      if (src === null) return escapeAll(token.text);
      const title = token.title ? ` title="${escapeAll(token.title)}"` : "";
      return `<img src="${escapeAll(src)}" alt="${escapeAll(token.text)}"${title} loading="lazy" referrerpolicy="no-referrer">`;
    },
  },
});

/** The README rendered, ready to embed in a hono/html template. */
export function renderReadme(source: string) {
  return raw(markdown.parse(source, { async: false }));
}

/**
 * The URL if it is relative or uses an allowed scheme, else null. Browsers ignore control
 * characters and spaces inside a scheme (`java\tscript:`), so the check does too; the URL is
 * then fully escaped, so a character reference in it (`&#106;avascript:`) stays literal text.
 */
function allowedUrl(href: string, schemes: Set<string>): string | null {
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1];
  if (scheme !== undefined) return schemes.has(scheme.toLowerCase()) ? href : null;
  // Without a scheme, but a colon before any slash would still read as one somewhere.
  return /^[^/?#]*:/.test(compact) ? null : href;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeAll(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Escapes markup but keeps character references marked has left in text (`&copy;`). */
function escapeText(text: string): string {
  return text.replace(/[<>"']|&(?!(?:#\d{1,7}|#[xX][a-fA-F0-9]{1,6}|\w+);)/g, (char) => ESCAPES[char] ?? char);
}
