// report.html of a sweep (rows.csv): energy against T, energy against spikes per synapse with the
// ANN's energy as the break-even line, the accuracy–energy Pareto front, and the profiles compared.
// Every hardware point (profile + parameter overrides) is one panel.
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './chart-spec.js';
import { LEGEND, fineLogTicks, fixedColours, logJoulesAxis } from './chart-spec.js';
import { chartBlock, escapeHtml, htmlPage, table } from './page.js';

export interface SweepRow {
  readonly hardware: string;
  /** The hardware point's profile and its parameter overrides (for pairing SNN-only with ANN-only profiles). */
  readonly profile: string;
  readonly params: string;
  readonly configuration: string;
  readonly workload: string;
  readonly family: 'ann' | 'snn';
  readonly timesteps: number | null;
  /** NaN where the task has no accuracy (e.g. bits per character). */
  readonly accuracy: number;
  /** Sequence workloads: block family, task and context length L (null otherwise). */
  readonly blockFamily: string | null;
  readonly task: string | null;
  readonly contextLength: number | null;
  /** The task's own quality metric where the rows carry one (bits_per_char, recall_accuracy, quantisation_error …). */
  readonly qualityMetric: string | null;
  readonly quality: number | null;
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
      profile: r.profile ?? '',
      params: hw.slice(1).join(' '),
      configuration: r.configuration,
      workload: r.workload ?? '',
      family: r.configuration.startsWith('snn') ? 'snn' : 'ann',
      timesteps: r.timesteps ? Number(r.timesteps) : null,
      accuracy: r.accuracy === '' || r.accuracy === undefined ? Number.NaN : Number(r.accuracy),
      blockFamily: r.workload === 'sequence' && r.family ? r.family : null,
      task: r.task ? r.task : null,
      contextLength: r['context-length'] ? Number(r['context-length']) : null,
      qualityMetric: r.quality_metric ? r.quality_metric : null,
      quality: r.quality ? Number(r.quality) : null,
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
  const ok = rows.filter((r) => r.energyJ !== null && Number.isFinite(r.accuracy));
  for (const r of ok) {
    const dominated = ok.some((o) => o !== r && o.hardware === r.hardware && o.workload === r.workload && o.accuracy >= r.accuracy && o.energyJ! <= r.energyJ! && (o.accuracy > r.accuracy || o.energyJ! < r.energyJ!));
    if (!dominated) front.add(r);
  }
  return front;
}

const FMT = '.3~s';
/** The colour of each family (the same as the run report's). */
const FAMILY_COLOURS = { domain: ['ann', 'snn'], range: ['#4e79a7', '#e15759'] };

/**
 * The panels of the SNN-against-ANN charts, each an SNN series and the dense-ANN energy it is compared
 * with: a hardware point whose profile prices both families is paired with itself; a profile that
 * prices only SNNs is paired with each ANN-only profile at the same parameter overrides (e.g. the same
 * node), as `run` pairs them. At most MAX_PANELS panels, evenly spaced.
 */
export function pairedPanels(rows: readonly SweepRow[]): { snn: (SweepRow & { panel: string })[]; ann: { panel: string; workload: string; energyJ: number }[] } {
  const ok = rows.filter((r) => r.energyJ !== null);
  const hw = [...new Set(ok.map((r) => r.hardware))];
  const has = (h: string, family: 'ann' | 'snn') => ok.some((r) => r.hardware === h && r.family === family);
  const info = new Map(ok.map((r) => [r.hardware, r]));
  const panels: { label: string; snnHw: string; annHw: string }[] = [];
  for (const h of hw) {
    if (has(h, 'snn') && has(h, 'ann')) panels.push({ label: h, snnHw: h, annHw: h });
  }
  for (const s of hw.filter((h) => has(h, 'snn') && !has(h, 'ann'))) {
    for (const a of hw.filter((h) => has(h, 'ann') && !has(h, 'snn') && info.get(h)!.params === info.get(s)!.params)) {
      panels.push({ label: `${info.get(s)!.profile} vs ${a}`, snnHw: s, annHw: a });
    }
  }
  const shown = panels.length <= MAX_PANELS ? panels : Array.from({ length: MAX_PANELS }, (_, i) => panels[Math.round((i * (panels.length - 1)) / (MAX_PANELS - 1))]);
  const series = (r: SweepRow) => r.configuration.replace(/-T\d+/, '');
  return {
    snn: shown.flatMap((p) => ok.filter((r) => r.hardware === p.snnHw && r.family === 'snn' && r.timesteps !== null).map((r) => ({ ...r, panel: p.label, series: series(r) }))),
    ann: shown.flatMap((p) => ok.filter((r) => r.hardware === p.annHw && r.configuration === 'ann-dense').map((r) => ({ panel: p.label, workload: r.workload, energyJ: r.energyJ! }))),
  };
}

export function sweepCharts(rows: readonly SweepRow[], paired: ReturnType<typeof pairedPanels> = pairedPanels(rows)): ChartSpec[] {
  const ok = rows.filter((r) => r.energyJ !== null);
  const front = paretoFront(rows);
  const data = ok.map((r) => ({ ...r, series: r.family === 'snn' ? r.configuration.replace(/-T\d+/, '') : r.configuration, pareto: front.has(r) }));
  const facet = { row: { field: 'hardware', type: 'nominal', title: 'hardware point' } } as const;
  const pairFacet = { row: { field: 'panel', type: 'nominal', title: 'SNN hardware vs ANN hardware' } } as const;
  const spec = (s: object): TopLevelSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...s }) as TopLevelSpec;
  const charts: ChartSpec[] = [];
  const snnT = paired.snn;
  // each workload has its own SNN points and its own dense-ANN line, in one colour
  const workloads = [...new Set([...snnT.map((r) => r.workload), ...paired.ann.map((a) => a.workload)])];
  const colorBy = { field: 'workload', type: 'nominal', title: 'workload (dashed: its dense ANN)', sort: workloads, scale: fixedColours(workloads), legend: LEGEND } as const;
  const snnEnergyAxis = logJoulesAxis([...snnT.map((r) => r.energyJ!), ...paired.ann.map((a) => a.energyJ)], 'energy', true);
  /** SNN energies against one x field, with the dense ANN's energy as a dashed rule in each panel. */
  const againstAnn = (id: string, title: string, x: { field: string; title: string }, mark: object, label?: object): ChartSpec => ({
    id,
    title,
    spec: spec({
      data: { values: [...snnT, ...paired.ann.map((a) => ({ ...a, ann: true }))] },
      facet: pairFacet,
      spec: {
        width: 420,
        height: 180,
        layer: [
          { transform: [{ filter: 'datum.ann !== true' }], mark: { ...mark, tooltip: true }, encoding: { x: { field: x.field, type: 'quantitative', title: x.title }, y: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: snnEnergyAxis }, color: colorBy, shape: { field: 'series', type: 'nominal', title: 'SNN', legend: LEGEND } } },
          { transform: [{ filter: 'datum.ann === true' }], mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { field: 'energyJ', type: 'quantitative' }, color: colorBy } },
          ...(label ? [label] : []),
        ],
      },
      resolve: { scale: { y: 'independent' } },
    }),
  });
  if (snnT.length > 0) {
    charts.push(againstAnn('energy-vs-t', 'SNN energy per inference against timesteps T (the dashed line is the dense ANN)', { field: 'timesteps', title: 'T' }, { type: 'line', point: true }));
    charts.push(
      againstAnn('energy-vs-sigma', 'SNN energy against spikes per synapse σ, each point labelled with its T; where the SNN crosses the dashed dense-ANN line is the break-even σ*', { field: 'sigma', title: 'spikes per synapse σ' }, { type: 'point', filled: true }, {
        transform: [{ filter: 'datum.ann !== true' }, { calculate: "'T' + datum.timesteps", as: 'tLabel' }],
        mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10, color: '#333333' },
        encoding: { x: { field: 'sigma', type: 'quantitative' }, y: { field: 'energyJ', type: 'quantitative' }, text: { field: 'tLabel', type: 'nominal' } },
      }),
    );
  }
  const seq = data.filter((r) => r.contextLength !== null && r.blockFamily !== null);
  const blockFamilies = [...new Set(seq.map((r) => r.blockFamily!))];
  /** A per-family line against context length L (log x), one panel per value of `row`. */
  const againstContext = (id: string, title: string, values: object[], row: object, y: object, extra: object = {}): ChartSpec => ({
    id,
    title,
    spec: spec({
      data: { values },
      facet: { row },
      spec: {
        width: 420,
        height: 200,
        mark: { type: 'line', point: true, tooltip: true },
        encoding: { x: { field: 'contextLength', type: 'quantitative', scale: { type: 'log' }, title: 'context length L', axis: { values: fineLogTicks(values.map((v) => (v as { contextLength: number }).contextLength)), format: '~s', labelOverlap: 'greedy' } }, y, color: { field: 'blockFamily', type: 'nominal', title: 'family', sort: blockFamilies, scale: fixedColours(blockFamilies), legend: LEGEND }, ...extra },
      },
      resolve: { scale: { y: 'independent' } },
    }),
  });
  if (seq.length > 0) {
    charts.push(
      againstContext(
        'energy-vs-context',
        'Energy per generated token against context length L, per block family (log–log): where linear, state-space and sparse attention overtake softmax',
        seq,
        facet.row,
        { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(seq.map((r) => r.energyJ!), 'energy per token', true) },
        { strokeDash: { field: 'task', type: 'nominal', title: 'task' } },
      ),
    );
    const quality = [...new Map(seq.filter((r) => r.quality !== null).map((r) => [`${r.blockFamily}|${r.task}|${r.contextLength}`, r])).values()];
    if (quality.length > 0) {
      charts.push(
        againstContext(
          'quality-vs-context',
          'Task quality against context length L, per block family (bits per character: lower is better; recall accuracy: higher is better)',
          quality,
          { field: 'qualityMetric', type: 'nominal', title: 'metric' },
          { field: 'quality', type: 'quantitative', scale: { zero: false }, title: 'quality' },
        ),
      );
    }
  }
  const scoredData = data.filter((r) => Number.isFinite(r.accuracy));
  if (scoredData.length > 0) {
    const x = { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(scoredData.map((r) => r.energyJ!), 'energy', true) } as const;
    const y = { field: 'accuracy', type: 'quantitative', scale: { zero: false }, axis: { format: '.1%', tickCount: 5 } } as const;
    charts.push({
      id: 'pareto',
      title: 'Accuracy against energy (every configuration); the Pareto front (no configuration both more accurate and cheaper) is connected and labelled',
      spec: spec({
        data: { values: scoredData },
        facet,
        spec: {
          width: 420,
          height: 200,
          layer: [
            { mark: { type: 'point', filled: true, tooltip: true }, encoding: { x, y, color: { field: 'family', type: 'nominal', scale: FAMILY_COLOURS, legend: LEGEND }, shape: { field: 'pareto', type: 'nominal', title: 'on the front', legend: LEGEND } } },
            { transform: [{ filter: 'datum.pareto' }], mark: { type: 'line', color: '#888', interpolate: 'step-after' }, encoding: { x: { ...x, sort: 'ascending' }, y } },
            { transform: [{ filter: 'datum.pareto' }], mark: { type: 'text', align: 'left', dx: 6, dy: -7, fontSize: 10, color: '#333333' }, encoding: { x, y, text: { field: 'configuration', type: 'nominal' } } },
          ],
        },
        resolve: { scale: { x: 'independent' } },
      }),
    });
  }
  charts.push({
    id: 'profiles',
    title: 'Each configuration under each hardware point',
    spec: spec({
      data: { values: data },
      mark: { type: 'rect', tooltip: true },
      width: { step: Math.max(12, Math.min(36, Math.floor(900 / Math.max(1, new Set(data.map((r) => r.configuration)).size)))) },
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
  const charts = sweepCharts(rows, pairedPanels(allRows));
  const front = paretoFront(rows);
  const frontRows = rows.filter((r) => front.has(r)).map((r) => [r.hardware, r.workload, r.configuration, `${(r.accuracy * 100).toFixed(2)}%`, r.energyJ!.toExponential(3)]);
  // (rows without an accuracy — bits per character — are charted against L, not on the front)
  const refused = rows.filter((r) => r.status !== 'ok').map((r) => [r.hardware, r.configuration, r.note]);
  const body = `<p class="sub">${escapeHtml(description)} · ${allRows.length} rows · ${total} hardware points</p>
${total > hardware.length ? `<p class="note">Charts and tables show ${hardware.length} of the ${total} hardware points, evenly spaced in sweep order; every row is in rows.csv.</p>` : ''}
<h2>Charts</h2>
${charts.map(chartBlock).join('\n')}
${frontRows.length > 0 ? `<h2>Pareto front per hardware point</h2>\n${table(['hardware point', 'workload', 'configuration', 'accuracy', 'energy (J)'], frontRows)}` : ''}
${refused.length > 0 ? `<h2>Refused</h2>\n<p class="note">A model refuses what lies outside its valid range instead of extrapolating.</p>\n${table(['hardware point', 'configuration', 'reason'], refused, 'wrap')}` : ''}`;
  return { html: htmlPage(`joulebench sweep — ${name}`, body, charts), charts };
}
