// Statistics: downloads per day (all packages, then the top packages one by one) and the
// most downloaded packages over the chosen period.
import { html } from "hono/html";
import { barChart, meterBar, type ChartPoint } from "./components/bar-chart.ts";
import { count } from "./components/format.ts";

export function statsPage(view: { days: number; total: ChartPoint[]; top: { name: string; total: number }[]; perPackage: { name: string; points: ChartPoint[] }[] }) {
  const sum = view.total.reduce((total, point) => total + point.value, 0);
  const best = Math.max(1, ...view.top.map((row) => row.total));
  const half = Math.floor(view.total.length / 2);
  const recent = view.total.slice(half).reduce((t, p) => t + p.value, 0);
  const earlier = view.total.slice(0, half).reduce((t, p) => t + p.value, 0);
  const trend = earlier === 0 ? null : Math.round(((recent - earlier) / earlier) * 100);
  return html`<div class="toolbar"><h1>Statistics</h1><nav class="pager">${[7, 30, 90].map(
    (days) => html`<a class="button ${days === view.days ? "" : "secondary"}" style="margin:0" href="/admin/stats?days=${days}">${days} days</a>`,
  )}</nav></div>
<div class="stats"><div class="stat"><b>${count(sum)}</b><span>downloads, last ${view.days} days</span></div>
<div class="stat"><b>${trend === null ? "—" : `${trend > 0 ? "+" : ""}${trend}%`}</b><span>second half of the period vs the first</span></div></div>
<h2>Downloads per day</h2><div class="card">${barChart(view.total, { title: `Downloads per day, last ${view.days} days` })}</div>
<h2>Top packages</h2>
${view.top.length === 0
  ? html`<p class="muted">No downloads recorded yet (Composer reports installs through notify-batch).</p>`
  : html`<div class="table-wrap"><table><thead><tr><th>Package</th><th class="num">Downloads</th><th style="width:40%"></th></tr></thead><tbody>
${view.top.map(
      (row) => html`<tr><td><a href="/admin/packages/${row.name}"><code>${row.name}</code></a></td><td class="num">${count(row.total)}</td>
<td>${meterBar(row.total, best)}</td></tr>`,
    )}</tbody></table></div>`}
${view.perPackage.map((item) => html`<h3><code>${item.name}</code></h3><div class="card">${barChart(item.points, { title: `Downloads of ${item.name} per day`, height: 120 })}</div>`)}`;
}
