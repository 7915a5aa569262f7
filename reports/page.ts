// The self-contained HTML page every joulebench report uses: styles, tables, chart placeholders,
// the inlined vega bundle and the script that renders the (Node-compiled) Vega specs. No network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compile } from 'vega-lite';
import type { ChartSpec } from './chart-spec.js';
import { withChartConfig } from './chart-spec.js';

const require = createRequire(import.meta.url);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** JSON safe to place inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

let vegaBundle: string | undefined;
function vegaSource(): string {
  if (vegaBundle === undefined) {
    // vega's package exports hide package.json; its entry point lives in build/ beside the UMD bundle.
    const dir = dirname(require.resolve('vega'));
    vegaBundle = readFileSync(join(dir, 'vega.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return vegaBundle;
}

/** A table; `rowClass` gives a row its class (e.g. to mark the configurations a verdict compares). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], cls = '', rowClass?: (index: number) => string): string {
  const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = (i: number): string => {
    const c = rowClass?.(i) ?? '';
    return c === '' ? '<tr>' : `<tr class="${escapeHtml(c)}">`;
  };
  const body = rows.map((r, i) => `${tr(i)}${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function chartBlock(c: ChartSpec): string {
  return `<section class="chart"><h3>${escapeHtml(c.title)}</h3><div class="vis" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}"></div></section>`;
}

/** A complete page: `body` is trusted markup built with escapeHtml/table/chartBlock; charts are rendered in the page. */
export function htmlPage(title: string, body: string, charts: readonly ChartSpec[]): string {
  const compiled = charts.map((c) => ({ id: c.id, spec: compile(withChartConfig(c.spec)).spec }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; } .sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; } th { background: #f5f5f7; }
td:not(:first-child) { white-space: nowrap; } table.wrap td { white-space: normal; max-width: 32rem; }
.note { color: #555; max-width: 60rem; } .vis { overflow-x: auto; }
.answer { margin: .4rem 0 .8rem; padding: .6rem 1rem .6rem 2rem; background: #f5f8fc; border-left: 4px solid #4e79a7; }
.answer li { margin: .25rem 0; } .answer .pair { font-weight: 600; }
tr.matched td { background: #fff8e1; }
.tables { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-start; } .tables table { max-width: 100%; } .tables th { max-width: 12rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
<script>${vegaSource()}</script>
<script>
const CHARTS = ${scriptJson(compiled)};
window.__chartsRendered = false;
Promise.all(CHARTS.map((c) =>
  new vega.View(vega.parse(c.spec), { renderer: 'svg', container: document.getElementById('chart-' + c.id), hover: true }).runAsync()
)).then(
  () => { window.__chartsRendered = true; document.body.dataset.charts = 'rendered'; },
  (err) => { document.body.dataset.charts = 'failed'; console.error('joulebench report: chart rendering failed', err); },
);
</script>
</body>
</html>
`;
}
