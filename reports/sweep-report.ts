// report.html of a sweep (rows.csv): energy against T, energy against spikes per synapse with the
// ANN's energy as the break-even line, the accuracy–energy Pareto front, and the profiles compared.
// Every hardware point (profile + parameter overrides) is one panel.
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts.js';
import { chartBlock, escapeHtml, htmlPage, table } from './page.js';

export interface SweepRow {
  readonly hardware: string;
  readonly configuration: string;
  readonly workload: string;
  readonly family: 'ann' | 'snn';
  readonly timesteps: number | null;
  readonly accuracy: number;
  readonly sigma: number;
  readonly energyJ: number | null;
  readonly status: string;
  readonly note: string;
}

/** Reads rows.csv records (as parsed with column names) into typed rows. */
export function sweepRows(records: readonly Record<string, string>[]): SweepRow[] {
  return records.map((r) => {
    const hw = Object.keys(r).filter((k) => k === 'profile' || k.startsWith('param.')).filter((k) => r[k] !== '').map((k) => (k === 'profile' ? r[k] : `${k.slice(6)}=${r[k]}`));
    return {
      hardware: hw.join(' '),
      configuration: r.configuration,
      workload: r.workload ?? '',
      family: r.configuration.startsWith('snn') ? 'snn' : 'ann',
      timesteps: r.timesteps ? Number(r.timesteps) : null,
      accuracy: Number(r.accuracy),
      sigma: Number(r.spikes_per_synapse),
      energyJ: r.status === 'ok' ? Number(r.energy_j) : null,
      status: r.status,
      note: r.note ?? '',
    };
  });
}

/** Configurations not dominated in (higher accuracy, lower energy) within their hardware point and workload. */
export function paretoFront(rows: readonly SweepRow[]): Set<SweepRow> {
  const front = new Set<SweepRow>();
  const ok = rows.filter((r) => r.energyJ !== null);
  for (const r of ok) {
    const dominated = ok.some((o) => o !== r && o.hardware === r.hardware && o.workload === r.workload && o.accuracy >= r.accuracy && o.energyJ! <= r.energyJ! && (o.accuracy > r.accuracy || o.energyJ! < r.energyJ!));
    if (!dominated) front.add(r);
  }
  return front;
}

const FMT = '.3~s';

export function sweepCharts(rows: readonly SweepRow[]): ChartSpec[] {
  const ok = rows.filter((r) => r.energyJ !== null);
  const front = paretoFront(rows);
  const data = ok.map((r) => ({ ...r, series: r.family === 'snn' ? r.configuration.replace(/-T\d+/, '') : r.configuration, pareto: front.has(r) }));
  const annLines = ok.filter((r) => r.family === 'ann' && r.configuration === 'ann-dense').map((r) => ({ hardware: r.hardware, workload: r.workload, energyJ: r.energyJ }));
  const facet = { row: { field: 'hardware', type: 'nominal', title: 'hardware point' } } as const;
  const spec = (s: object): TopLevelSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...s }) as TopLevelSpec;
  const charts: ChartSpec[] = [];
  const snnT = data.filter((d) => d.family === 'snn' && d.timesteps !== null);
  /** SNN energies against one x field, with the dense ANN's energy as a dashed rule in each panel. */
  const againstAnn = (id: string, title: string, x: { field: string; title: string }, mark: object): ChartSpec => ({
    id,
    title,
    spec: spec({
      data: { values: [...snnT, ...annLines.map((a) => ({ ...a, ann: true }))] },
      facet,
      spec: {
        width: 420,
        height: 180,
        layer: [
          { transform: [{ filter: 'datum.ann !== true' }], mark: { ...mark, tooltip: true }, encoding: { x: { field: x.field, type: 'quantitative', title: x.title }, y: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, title: 'energy (J)', axis: { format: FMT } }, color: { field: 'series', type: 'nominal', title: 'configuration' } } },
          { transform: [{ filter: 'datum.ann === true' }], mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { y: { field: 'energyJ', type: 'quantitative' } } },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    }),
  });
  if (snnT.length > 0) {
    charts.push(againstAnn('energy-vs-t', 'SNN energy per inference against timesteps T (the dashed line is the dense ANN)', { field: 'timesteps', title: 'T' }, { type: 'line', point: true }));
    charts.push(
      againstAnn('energy-vs-sigma', 'SNN energy against spikes per synapse σ; where the SNN crosses the dashed dense-ANN line is the break-even σ*', { field: 'sigma', title: 'spikes per synapse σ' }, { type: 'point', filled: true }),
    );
  }
  charts.push({
    id: 'pareto',
    title: 'Accuracy against energy; the Pareto front (no configuration both more accurate and cheaper) is connected',
    spec: spec({
      data: { values: data },
      facet,
      spec: {
        width: 420,
        height: 200,
        layer: [
          { mark: { type: 'point', filled: true, tooltip: true }, encoding: { x: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, title: 'energy (J)', axis: { format: FMT } }, y: { field: 'accuracy', type: 'quantitative', scale: { zero: false }, axis: { format: '.1%' } }, color: { field: 'family', type: 'nominal' }, shape: { field: 'pareto', type: 'nominal', title: 'on the front' } } },
          { transform: [{ filter: 'datum.pareto' }], mark: { type: 'line', color: '#888', interpolate: 'step-after' }, encoding: { x: { field: 'energyJ', type: 'quantitative', sort: 'ascending' }, y: { field: 'accuracy', type: 'quantitative' } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    }),
  });
  charts.push({
    id: 'profiles',
    title: 'Each configuration under each hardware point',
    spec: spec({
      data: { values: data },
      mark: { type: 'rect', tooltip: true },
      width: { step: 36 },
      height: { step: 22 },
      encoding: {
        x: { field: 'configuration', type: 'nominal', axis: { labelAngle: -40 } },
        y: { field: 'hardware', type: 'nominal', title: null },
        color: { field: 'energyJ', type: 'quantitative', scale: { type: 'log', scheme: 'viridis' }, title: 'energy (J)', legend: { format: FMT } },
      },
    }),
  });
  return charts;
}

/** Most hardware points drawn as chart panels; larger sweeps show evenly spaced ones (all rows stay in rows.csv). */
export const MAX_PANELS = 6;

/** The hardware points a report draws: all, or MAX_PANELS evenly spaced ones in sweep order. */
export function panelHardware(rows: readonly SweepRow[]): string[] {
  const all = [...new Set(rows.map((r) => r.hardware))];
  if (all.length <= MAX_PANELS) return all;
  return Array.from({ length: MAX_PANELS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_PANELS - 1))]);
}

export function renderSweepReport(name: string, description: string, allRows: readonly SweepRow[]): { html: string; charts: ChartSpec[] } {
  const hardware = panelHardware(allRows);
  const total = new Set(allRows.map((r) => r.hardware)).size;
  const shown = new Set(hardware);
  const rows = allRows.filter((r) => shown.has(r.hardware));
  const charts = sweepCharts(rows);
  const front = paretoFront(rows);
  const frontRows = rows.filter((r) => front.has(r)).map((r) => [r.hardware, r.workload, r.configuration, `${(r.accuracy * 100).toFixed(2)}%`, r.energyJ!.toExponential(3)]);
  const refused = rows.filter((r) => r.status !== 'ok').map((r) => [r.hardware, r.configuration, r.note]);
  const body = `<p class="sub">${escapeHtml(description)} · ${allRows.length} rows · ${total} hardware points</p>
${total > hardware.length ? `<p class="note">Charts and tables show ${hardware.length} of the ${total} hardware points, evenly spaced in sweep order; every row is in rows.csv.</p>` : ''}
<h2>Charts</h2>
${charts.map(chartBlock).join('\n')}
<h2>Pareto front per hardware point</h2>
${table(['hardware point', 'workload', 'configuration', 'accuracy', 'energy (J)'], frontRows)}
${refused.length > 0 ? `<h2>Refused</h2>\n<p class="note">A model refuses what lies outside its valid range instead of extrapolating.</p>\n${table(['hardware point', 'configuration', 'reason'], refused, 'wrap')}` : ''}`;
  return { html: htmlPage(`joulebench sweep — ${name}`, body, charts), charts };
}
