// Downloads per day as an inline SVG bar chart: no script, no library, scales to any width.
import { html } from "hono/html";

export interface ChartPoint {
  label: string;
  value: number;
}

export function barChart(points: ChartPoint[], options: { title: string; height?: number } = { title: "" }) {
  if (points.every((point) => point.value === 0)) return html`<p class="muted" style="margin:.25rem 0">No downloads recorded in this period.</p>`;
  const width = 720;
  const height = options.height ?? 180;
  const top = 12;
  const bottom = 22;
  const left = 40;
  const max = Math.max(1, ...points.map((point) => point.value));
  const slot = (width - left) / Math.max(1, points.length);
  const barWidth = Math.max(2, slot * 0.7);
  const scale = (value: number) => ((height - top - bottom) * value) / max;
  const bars = points.map((point, index) => {
    const h = scale(point.value);
    const x = left + index * slot + (slot - barWidth) / 2;
    return html`<rect x="${x.toFixed(1)}" y="${(height - bottom - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" rx="1.5" fill="#6366f1"><title>${point.label}: ${point.value}</title></rect>`;
  });
  // A label every ~7 bars keeps the axis readable at phone width.
  const every = Math.max(1, Math.ceil(points.length / 6));
  const labels = points.map((point, index) =>
    index % every === 0
      ? html`<text x="${(left + index * slot + slot / 2).toFixed(1)}" y="${height - 6}" font-size="11" text-anchor="middle" fill="#64748b">${point.label.slice(5)}</text>`
      : "",
  );
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.title}">
<line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#cbd5e1"/>
<text x="${left - 6}" y="${top + 4}" font-size="11" text-anchor="end" fill="#64748b">${max}</text>
<text x="${left - 6}" y="${height - bottom}" font-size="11" text-anchor="end" fill="#64748b">0</text>
${bars}${labels}
</svg>`;
}

/** The last `days` UTC days ending today, oldest first, as YYYY-MM-DD. */
export function lastDays(nowMs: number, days: number): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(new Date(nowMs - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/** One horizontal bar, `value` of `max`, for ranking tables (top packages, versions). */
export function meterBar(value: number, max: number) {
  return html`<svg viewBox="0 0 100 8" preserveAspectRatio="none" style="width:100%;height:.7rem" aria-hidden="true"><rect width="${((100 * value) / Math.max(1, max)).toFixed(1)}" height="8" rx="2" fill="#818cf8"/></svg>`;
}
