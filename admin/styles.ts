// The one stylesheet, inlined in every page (a few KB, no extra request, works offline).
export const STYLES = `
:root { color-scheme: light; --accent: #4338ca; --accent-soft: #eef2ff; --text: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --card: #fff; --ok: #047857; --warn: #b45309; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--text); background: var(--bg); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header.top { background: #1e1b4b; color: #fff; }
header.top .bar { max-width: 72rem; margin: 0 auto; padding: .6rem 1.25rem; display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1.25rem; }
header.top .brand { font-weight: 700; font-size: 1.15rem; color: #fff; letter-spacing: .01em; }
header.top nav { display: flex; flex-wrap: wrap; gap: .15rem .25rem; flex: 1; }
header.top nav a, header.top .who a { color: #c7d2fe; padding: .3rem .5rem; border-radius: .35rem; }
header.top nav a.active, header.top nav a:hover, header.top .who a.active, header.top .who a:hover { background: rgba(255,255,255,.12); color: #fff; text-decoration: none; }
header.top .who { display: flex; align-items: center; gap: .25rem; color: #c7d2fe; font-size: .92rem; margin: 0; }
header.top .who button { background: transparent; border: 1px solid #6366f1; color: #e0e7ff; padding: .25rem .6rem; margin: 0 0 0 .35rem; }
main { max-width: 72rem; margin: 1.5rem auto 3rem; padding: 0 1.25rem; }
h1 code, h2 code, h3 code { font-size: inherit; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; } h2 { font-size: 1.2rem; margin: 1.75rem 0 .6rem; } h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.readme img { max-width: 100%; } .readme pre { overflow-x: auto; }
.narrow { max-width: 26rem; margin: 3rem auto; }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
.stats { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr)); }
td.when { white-space: nowrap; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .9rem 1.1rem; }
.stat b { display: block; font-size: 1.7rem; line-height: 1.2; } .stat span { color: var(--muted); font-size: .9rem; }
label { display: block; margin: .7rem 0 .25rem; font-weight: 600; font-size: .92rem; }
label.check { display: flex; align-items: center; gap: .45rem; font-weight: 500; margin: .4rem 0; }
input, select, textarea { width: 100%; padding: .45rem .6rem; border: 1px solid #cbd5e1; border-radius: .4rem; font: inherit; background: #fff; color: inherit; }
input[type=checkbox] { width: auto; }
textarea { min-height: 6rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88rem; }
button, .button { display: inline-block; margin-top: 1rem; padding: .5rem 1rem; border: 0; border-radius: .4rem; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); border: 1px solid #c7d2fe; }
button.danger { background: var(--bad); }
button.small { margin: 0; padding: .2rem .6rem; font-size: .85rem; }
form.inline { display: inline; }
.row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; } .row > * { flex: 1 1 12rem; } .row > button { flex: 0 0 auto; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: .6rem; }
table { width: 100%; border-collapse: collapse; font-size: .93rem; }
th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f1f5f9; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: #475569; white-space: nowrap; }
tbody tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .86rem; }
pre { background: #0f172a; color: #e2e8f0; padding: .8rem 1rem; border-radius: .5rem; overflow-x: auto; white-space: pre; margin: .4rem 0; }
.copy { position: relative; } .copy pre { padding-right: 4.5rem; } pre.wrap { white-space: pre-wrap; word-break: break-all; } .copy button { position: absolute; top: .4rem; right: .4rem; margin: 0; padding: .15rem .55rem; font-size: .8rem; background: #334155; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 1rem; font-size: .75rem; font-weight: 600; background: #e2e8f0; color: #334155; white-space: nowrap; }
.badge.ok { background: #d1fae5; color: var(--ok); } .badge.warn { background: #fef3c7; color: var(--warn); } .badge.bad { background: #fee2e2; color: var(--bad); } .badge.info { background: var(--accent-soft); color: var(--accent); }
.muted { color: var(--muted); } .small { font-size: .85rem; }
.flash { padding: .65rem 1rem; border-radius: .5rem; margin-bottom: 1rem; border: 1px solid; }
.flash.ok { background: #ecfdf5; border-color: #a7f3d0; color: #065f46; } .flash.error { background: #fef2f2; border-color: #fecaca; color: #991b1b; }
.error { color: var(--bad); }
.secret { background: #fffbeb; border: 1px solid #fde68a; border-radius: .6rem; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.pager { display: flex; gap: .5rem; align-items: center; margin: .8rem 0; flex-wrap: wrap; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; margin-bottom: .8rem; }
.toolbar h1 { margin: 0; }
.toolbar form { display: flex; gap: .4rem; } .toolbar form input { width: 16rem; } .toolbar form button { margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--accent); }
.matrix td, .matrix th { text-align: center; } .matrix td:first-child, .matrix th:first-child { text-align: left; }
svg.chart { width: 100%; height: auto; display: block; }
.qr svg { width: 12rem; height: 12rem; background: #fff; }
@media (max-width: 40rem) {
  main { margin-top: 1rem; padding: 0 .75rem; } h1 { font-size: 1.35rem; }
  th, td { padding: .4rem .5rem; } .toolbar form { width: 100%; } .toolbar form input { width: 100%; }
  .hide-narrow { display: none; }
}
`;
