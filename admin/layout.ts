// The page frame shared by admin and customer pages. hono/html escapes every interpolated value;
// templates are plain TypeScript so that Node runs them without a build step.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

export function page(title: string, body: Content, options: { signedInAs?: string } = {}) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Satchel</title>
<style>
  :root { color-scheme: light dark; --accent: #4f46e5; --muted: #6b7280; --line: #e5e7eb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
  header { display: flex; align-items: center; justify-content: space-between; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); }
  header strong { color: var(--accent); font-size: 1.1rem; }
  main { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
  form.card { max-width: 22rem; margin: 4rem auto; padding: 2rem; border: 1px solid var(--line); border-radius: .75rem; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input { width: 100%; padding: .5rem .6rem; border: 1px solid #9ca3af; border-radius: .4rem; font: inherit; }
  button { margin-top: 1.25rem; padding: .55rem 1rem; border: 0; border-radius: .4rem; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); }
  pre { background: rgba(127,127,127,.12); padding: .75rem 1rem; border-radius: .4rem; overflow-x: auto; }
  .error { color: #b91c1c; }
  .muted { color: var(--muted); }
</style>
</head>
<body>
<header><strong>Satchel</strong>${options.signedInAs ? html`<form method="post" action="/logout" style="margin:0">${options.signedInAs} <button style="margin:0 0 0 .75rem">Sign out</button></form>` : ""}</header>
<main>${body}</main>
</body>
</html>`;
}
