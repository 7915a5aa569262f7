// The break-even and uncertainty analysis of a results document as tables (terminal and HTML) and
// charts: per-layer σ* of each (SNN profile, ANN profile) pair, SNN energy against σ with the ANN's
// energy as the break-even line, verdict intervals, and the tornado of the constants that move them.
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts.js';
import type { PairAnalysis, ResultsDoc } from './results.js';
import { textTable } from './summary.js';

const pairName = (p: PairAnalysis): string => `${p.snnProfile} vs ${p.annProfile}`;
const f3 = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 100 || Math.abs(x) < 0.001 ? x.toExponential(2) : x.toFixed(3));

/** Pairs in document order, grouped: one entry per (SNN profile, ANN profile) with its configurations. */
function byPair(doc: ResultsDoc): Map<string, PairAnalysis[]> {
  const out = new Map<string, PairAnalysis[]>();
  for (const p of doc.analysis.pairs) out.set(pairName(p), [...(out.get(pairName(p)) ?? []), p]);
  return out;
}

/** Per pair and layer, "σ / σ*" for each SNN configuration (σ* "never" when the SNN layer cannot break even). */
export function breakEvenTable(doc: ResultsDoc): { headers: string[]; rows: string[][] } {
  const configs = [...new Set(doc.analysis.pairs.map((p) => p.snn))];
  const headers = ['SNN profile vs ANN profile', 'layer', ...configs.map((c) => `${c} σ / σ*`)];
  const rows: string[][] = [];
  for (const [name, list] of byPair(doc)) {
    const layers = list[0].breakEven.layers.filter((l) => l.sigmaStar !== null).map((l) => l.layer);
    const cell = (p: PairAnalysis | undefined, layer: string | null): string => {
      if (!p) return '–';
      if (layer === null) return `${f3(p.breakEven.network.sigma)} / ${p.breakEven.network.never ? 'never' : f3(p.breakEven.network.sigmaStar)}`;
      // a configuration of the pair without this layer (the pairs of one profile pair may price different networks)
      const l = p.breakEven.layers.find((x) => x.layer === layer);
      if (l === undefined || l.sigmaStar === null) return '–';
      return `${f3(l.sigma)} / ${l.never ? 'never' : f3(l.sigmaStar)}`;
    };
    [...layers, null].forEach((layer, i) => rows.push([i === 0 ? name : '', layer ?? 'network', ...configs.map((c) => cell(list.find((p) => p.snn === c), layer))]));
  }
  return { headers, rows };
}

export const VERDICT_TEXT = { 'snn-cheaper': 'SNN cheaper', 'ann-cheaper': 'ANN cheaper', uncertain: 'uncertain' } as const;

export function verdictTable(doc: ResultsDoc): { headers: string[]; rows: string[][] } {
  const headers = ['SNN profile vs ANN profile', 'configuration', 'E_SNN/E_ANN', 'bounds', 'Monte Carlo p05–p95', 'P(SNN cheaper)', 'verdict', 'most influential constant'];
  const rows = doc.analysis.pairs.map((p) => {
    const u = p.uncertainty;
    const top = u.tornado[0];
    return [
      pairName(p),
      p.snn,
      `${f3(u.ratio)}×`,
      `${f3(u.interval.ratio[0])} – ${f3(u.interval.ratio[1])}`,
      u.monteCarlo ? `${f3(u.monteCarlo.ratio.p05)} – ${f3(u.monteCarlo.ratio.p95)}` : '–',
      u.monteCarlo ? `${(u.monteCarlo.pSnnCheaper * 100).toFixed(1)}%` : '–',
      VERDICT_TEXT[u.verdict],
      top ? `${top.constant} (${f3(top.ratioAtLow)} – ${f3(top.ratioAtHigh)}${top.flipsVerdict ? ', flips' : ''})` : '–',
    ];
  });
  return { headers, rows };
}

/** One warning per analysed pair whose profiles sit on different technology nodes or supply voltages (printed once by the CLI). */
export function pairWarnings(doc: ResultsDoc): string[] {
  return doc.analysis.settings.pairs.flatMap((p) => (p.warning ? [p.warning] : []));
}

/** The terminal text printed after the summary table ('' when nothing was analysed). */
export function analysisSummary(doc: ResultsDoc): string {
  const skipped = doc.analysis.skipped.map((k) => `no break-even or verdict for ${k.snn} under ${k.snnProfile} vs ${k.annProfile}: ${k.reason}`);
  if (doc.analysis.pairs.length === 0) return skipped.join('\n');
  const be = breakEvenTable(doc);
  const v = verdictTable(doc);
  return [
    'break-even: σ = spikes per synapse per inference the SNN showed / σ* = where the SNN layer would cost what the ANN layer costs',
    textTable(be.headers, be.rows),
    '',
    `verdict intervals (every constant over its range; ${doc.analysis.settings.monteCarloSamples} Monte Carlo samples, seed ${doc.analysis.settings.seed}):`,
    textTable(v.headers, v.rows),
    ...(skipped.length > 0 ? ['', ...skipped] : []),
  ].join('\n');
}

const MAX_PANELS = 6;

export function analysisCharts(doc: ResultsDoc): ChartSpec[] {
  const pairs = [...byPair(doc).values()].slice(0, MAX_PANELS);
  if (pairs.length === 0) return [];
  const spec = (s: object): TopLevelSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...s }) as TopLevelSpec;
  // E_SNN,l(σ) = F + σ·N·m over 0 … 2·max(σ, σ*), for the first SNN configuration of each pair
  const lines: { pair: string; layer: string; sigma: number; energyJ: number; series: string }[] = [];
  const marks: { pair: string; layer: string; sigma: number; energyJ: number; what: string }[] = [];
  for (const list of pairs) {
    const p = list[0];
    for (const l of p.breakEven.layers.filter((x) => x.sigmaStar !== null)) {
      const top = Math.max(0.05, 2 * Math.max(l.sigma, l.sigmaStar!));
      const layer = `${l.layerIndex + 1}. ${l.layer}`;
      for (const s of [0, top]) {
        lines.push({ pair: pairName(p), layer, sigma: s, energyJ: l.snnFixedJ + s * l.snnPerSigmaJ, series: `SNN (${p.snnProfile})` });
        lines.push({ pair: pairName(p), layer, sigma: s, energyJ: l.annJ, series: `ANN (${p.annProfile})` });
      }
      marks.push({ pair: pairName(p), layer, sigma: l.sigma, energyJ: l.snnJ, what: `${p.snn}: σ = ${f3(l.sigma)}` });
      if (!l.never) marks.push({ pair: pairName(p), layer, sigma: l.sigmaStar!, energyJ: l.annJ, what: `σ* = ${f3(l.sigmaStar!)}` });
    }
  }
  const tornado = pairs.flatMap((list) => {
    const p = list[list.length - 1]; // the largest T: the configuration furthest from break-even
    return p.uncertainty.tornado.slice(0, 8).map((t) => ({ pair: `${pairName(p)} (${p.snn})`, constant: t.constant, low: Math.min(t.ratioAtLow, t.ratioAtHigh), high: Math.max(t.ratioAtLow, t.ratioAtHigh), ratio: p.uncertainty.ratio, flips: t.flipsVerdict }));
  });
  /** One panel per pair (rows) and layer (columns), each with its own scales. */
  const perPairAndLayer = (values: object[], inner: object): TopLevelSpec =>
    spec({
      data: { values },
      facet: { row: { field: 'pair', type: 'nominal', title: 'SNN profile vs ANN profile' }, column: { field: 'layer', type: 'nominal', title: 'layer' } },
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: inner,
    });
  const sigmaAxis = { field: 'sigma', type: 'quantitative', title: 'spikes per synapse σ' } as const;
  return [
    {
      id: 'break-even',
      title: 'SNN energy per layer as a function of spikes per synapse σ, against the ANN (break-even at σ*)',
      spec: perPairAndLayer(lines, {
        width: 240,
        height: 160,
        mark: { type: 'line', point: true, tooltip: true },
        encoding: { x: sigmaAxis, y: { field: 'energyJ', type: 'quantitative', title: 'energy per inference (J)', axis: { format: '.3~s' } }, color: { field: 'series', type: 'nominal', title: null } },
      }),
    },
    {
      id: 'break-even-points',
      title: 'Observed σ of each layer and its break-even σ*',
      spec: perPairAndLayer(marks, {
        width: 240,
        height: 120,
        mark: { type: 'point', filled: true, size: 80, tooltip: true },
        encoding: { x: sigmaAxis, y: { field: 'energyJ', type: 'quantitative', title: 'energy (J)', axis: { format: '.3~s' } }, shape: { field: 'what', type: 'nominal', title: null }, color: { field: 'what', type: 'nominal', title: null } },
      }),
    },
    {
      id: 'tornado',
      title: 'Tornado: E_SNN/E_ANN with one constant at its low and high end (the others at their values)',
      spec: spec({
        data: { values: tornado },
        facet: { row: { field: 'pair', type: 'nominal', title: null } },
        resolve: { scale: { y: 'independent', x: 'independent' } },
        spec: {
          width: 420,
          height: { step: 18 },
          layer: [
            { mark: { type: 'bar', tooltip: true }, encoding: { y: { field: 'constant', type: 'nominal', sort: { field: 'high', op: 'max', order: 'descending' }, title: null }, x: { field: 'low', type: 'quantitative', title: 'E_SNN / E_ANN' }, x2: { field: 'high' }, color: { field: 'flips', type: 'nominal', title: 'flips the verdict' } } },
            { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { datum: 1 } } },
          ],
        },
      }),
    },
  ];
}
