// Charts as files for papers: each Vega-Lite chart compiled and rendered headless in Node to SVG
// (vega's SVG renderer, no canvas) and rasterized to PNG at 2× by resvg with the system fonts. The
// SVG's size is vega's own bounds of every mark, legend and title; without a canvas vega estimates
// text widths generously (0.8 em a character), and legends are never truncated (CHART_CONFIG), so
// the PNG holds the whole legend.
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from './chart-spec.js';
import { withChartConfig } from './chart-spec.js';

export async function chartSvg(chart: ChartSpec): Promise<string> {
  const view = new View(parse(compile(withChartConfig(chart.spec)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string, zoom = 2): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: zoom }, background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}

/** Writes charts/<id>.svg and charts/<id>.png under `dir`, each atomically; returns the file names. */
export async function exportCharts(charts: readonly ChartSpec[], dir: string): Promise<string[]> {
  const out = join(dir, 'charts');
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  for (const c of charts) {
    const svg = await chartSvg(c);
    for (const [name, data] of [[`${c.id}.svg`, svg], [`${c.id}.png`, svgToPng(svg)]] as const) {
      writeFileAtomic(join(out, name), data);
      written.push(`charts/${name}`);
    }
  }
  return written;
}
