// The break-even and uncertainty analysis of a results document as tables (terminal and HTML) and
// charts: per-layer σ* of each (SNN profile, ANN profile) pair, SNN energy against σ with the ANN's
// energy as the break-even line, verdict intervals, and the tornado of the constants that move them.
import type { ChartSpec } from './chart-spec.js';
import { LEGEND, facetChart, linearJoulesAxis, orderedColours, panelWidth } from './chart-spec.js';
import type { PairAnalysis, ResultsDoc } from './results.js';
import { TERMINAL_WIDTH, textTable, wrapText } from './summary.js';
import { chanceWarnings } from './quality.js';

const pairName = (p: PairAnalysis): string => `${p.snnProfile} vs ${p.annProfile}`;

/** How a table names a (SNN profile, ANN profile) pair: in full (HTML), or by a short key with a legend (terminal). */
export type PairLabel = (snnProfile: string, annProfile: string) => string;
const pairLabelOf: PairLabel = (snnProfile, annProfile) => `${snnProfile} vs ${annProfile}`;
const f3 = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 100 || Math.abs(x) < 0.001 ? x.toExponential(2) : x.toFixed(3));

/** Pairs in document order, grouped: one entry per (SNN profile, ANN profile) with its configurations. */
function byPair(doc: ResultsDoc): Map<string, PairAnalysis[]> {
  const out = new Map<string, PairAnalysis[]>();
  for (const p of doc.analysis.pairs) out.set(pairName(p), [...(out.get(pairName(p)) ?? []), p]);
  return out;
}

/** Per pair and layer, "σ / σ*" for each SNN configuration (σ* "never" when the SNN layer cannot break even). */
export function breakEvenTable(doc: ResultsDoc, label: PairLabel = pairLabelOf): { headers: string[]; rows: string[][] } {
  const configs = [...new Set(doc.analysis.pairs.map((p) => p.snn))];
  const headers = [label === pairLabelOf ? 'SNN profile vs ANN profile' : 'pair', 'layer', ...configs.map((c) => `${c} σ / σ*`)];
  const rows: string[][] = [];
  for (const list of byPair(doc).values()) {
    const name = label(list[0].snnProfile, list[0].annProfile);
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

export function verdictTable(doc: ResultsDoc, label: PairLabel = pairLabelOf): { headers: string[]; rows: string[][] } {
  const headers = [label === pairLabelOf ? 'SNN profile vs ANN profile' : 'pair', 'configuration', 'E_SNN/E_ANN', 'bounds', 'Monte Carlo p05–p95', 'P(SNN cheaper)', 'verdict', 'most influential constant'];
  const rows = doc.analysis.pairs.map((p) => {
    const u = p.uncertainty;
    const top = u.tornado[0];
    return [
      label(p.snnProfile, p.annProfile),
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

/** Every warning of a run for the terminal: pairs on different nodes or voltages, accuracies near chance. */
export function runWarnings(doc: ResultsDoc): string[] {
  return [...pairWarnings(doc), ...chanceWarnings(doc).map((w) => w.warning)];
}

/**
 * The verdict of one (SNN profile, ANN profile) pair at matched accuracy: the cheapest SNN
 * configuration whose accuracy is at most one binomial standard error of the ANN's below it
 * (√(p(1−p)/n) on the n test samples), or, where none is, the most accurate SNN configuration.
 */
export interface MatchedVerdict {
  readonly snnProfile: string;
  readonly annProfile: string;
  /** The pair analysis of the configuration the verdict is about. */
  readonly chosen: PairAnalysis;
  /** How it was chosen: within one standard error of the ANN's accuracy, the closest below it, or (no accuracy) the cheapest. */
  readonly match: 'matched' | 'closest' | 'no-accuracy';
  readonly snnAccuracy: number | null;
  readonly annAccuracy: number | null;
  /** The standard error of the ANN's accuracy (fraction; null without an accuracy). */
  readonly tolerance: number | null;
  /** The cheapest SNN configuration of the pair, when it is not the chosen one, and its accuracy. */
  readonly cheapest: PairAnalysis | null;
  readonly cheapestAccuracy: number | null;
  /** The chosen configurations (SNN, ANN) whose accuracy is near chance: the verdict is flagged. */
  readonly nearChance: readonly string[];
}

/** One MatchedVerdict per (SNN profile, ANN profile) pair of the analysis, in document order. */
export function matchedVerdicts(doc: ResultsDoc): MatchedVerdict[] {
  const accuracy = new Map(doc.configurations.map((c) => [c.id, c.accuracy]));
  const chance = new Set(chanceWarnings(doc).map((w) => w.configuration));
  return [...byPair(doc).values()].map((list) => {
    const ann = list[0].ann;
    const annAccuracy = accuracy.get(ann) ?? null;
    const ratio = (p: PairAnalysis): number => p.uncertainty.ratio;
    const cheapestOf = (ps: readonly PairAnalysis[]): PairAnalysis => ps.reduce((a, b) => (ratio(b) < ratio(a) ? b : a));
    const cheapest = cheapestOf(list);
    const scored = list.filter((p) => accuracy.get(p.snn) !== null && accuracy.get(p.snn) !== undefined);
    let chosen: PairAnalysis;
    let match: MatchedVerdict['match'];
    let tolerance: number | null = null;
    if (annAccuracy === null || scored.length === 0) {
      chosen = cheapest;
      match = 'no-accuracy';
    } else {
      tolerance = Math.sqrt((annAccuracy * (1 - annAccuracy)) / Math.max(1, doc.samples));
      const within = scored.filter((p) => accuracy.get(p.snn)! >= annAccuracy - tolerance! - 1e-12);
      if (within.length > 0) {
        chosen = cheapestOf(within);
        match = 'matched';
      } else {
        const best = Math.max(...scored.map((p) => accuracy.get(p.snn)!));
        chosen = cheapestOf(scored.filter((p) => accuracy.get(p.snn) === best));
        match = 'closest';
      }
    }
    return { snnProfile: list[0].snnProfile, annProfile: list[0].annProfile, chosen, match, snnAccuracy: accuracy.get(chosen.snn) ?? null, annAccuracy, tolerance, cheapest: cheapest === chosen ? null : cheapest, cheapestAccuracy: accuracy.get(cheapest.snn) ?? null, nearChance: [chosen.snn, chosen.ann].filter((id) => chance.has(id)) };
  });
}

const pctText = (x: number | null): string => (x === null ? 'no accuracy' : `${(x * 100).toFixed(2)}%`);
const ratioText = (x: number): string => `${f3(x)}×`;

/**
 * One sentence per pair: which configurations, the ratio, its bounds, P(SNN cheaper) and the verdict.
 * `text` escapes plain text and `strong` marks the answer (identity for the terminal, HTML for the report).
 */
export function verdictSentence(v: MatchedVerdict, { text = (s: string) => s, strong = (s: string) => s, pair = (s: string) => s }: { text?: (s: string) => string; strong?: (s: string) => string; pair?: (s: string) => string } = {}): string {
  const u = v.chosen.uncertainty;
  const which =
    v.match === 'matched'
      ? `at matched accuracy (${v.chosen.snn} ${pctText(v.snnAccuracy)} vs ${v.chosen.ann} ${pctText(v.annAccuracy)})`
      : v.match === 'closest'
        ? `with no SNN within one standard error of the ANN's accuracy, at the closest (${v.chosen.snn} ${pctText(v.snnAccuracy)} vs ${v.chosen.ann} ${pctText(v.annAccuracy)})`
        : `with no accuracy to match, at the cheapest SNN (${v.chosen.snn} vs ${v.chosen.ann})`;
  const mc = u.monteCarlo ? `, P(SNN cheaper) ${(u.monteCarlo.pSnnCheaper * 100).toFixed(1)}%` : '';
  const flag = v.nearChance.length > 0 ? `${strong(text(`FLAGGED (${v.nearChance.join(' and ')} ${v.nearChance.length > 1 ? 'are' : 'is'} near chance accuracy; the verdict says nothing)`))}${text(': ')}` : '';
  const head = `${pair(text(`${v.snnProfile} vs ${v.annProfile}`))}${text(': ')}${flag}`;
  const main = `${text(`${which}, the SNN uses `)}${strong(text(`${ratioText(u.ratio)} the ANN's energy`))}${text(` (${f3(u.interval.ratio[0])}–${f3(u.interval.ratio[1])}× over every constant's range${mc}): `)}${strong(text(VERDICT_TEXT[u.verdict]))}${text('.')}`;
  const c = v.cheapest;
  const also = c === null ? '' : text(` The cheapest SNN, ${c.snn}${v.match === 'no-accuracy' ? '' : ` (${pctText(v.cheapestAccuracy)})`}, uses ${ratioText(c.uncertainty.ratio)} (${VERDICT_TEXT[c.uncertainty.verdict]}).`);
  return `${head}${main}${also}`;
}

/** Short keys P1, P2 … for the (SNN profile, ANN profile) pairs of a document, in the order the analysis chose them. */
export function pairKeys(doc: ResultsDoc): { label: PairLabel; legend: string[] } {
  const keys = new Map<string, string>();
  const legend: string[] = [];
  for (const p of [...doc.analysis.settings.pairs, ...doc.analysis.pairs]) {
    const name = pairLabelOf(p.snnProfile, p.annProfile);
    if (keys.has(name)) continue;
    const key = `P${keys.size + 1}`;
    keys.set(name, key);
    legend.push(`${key} = ${p.snnProfile === p.annProfile ? `${p.snnProfile} (SNN and ANN)` : `SNN ${p.snnProfile} vs ANN ${p.annProfile}`}`);
  }
  return { label: (snnProfile, annProfile) => keys.get(pairLabelOf(snnProfile, annProfile)) ?? pairLabelOf(snnProfile, annProfile), legend };
}

/** The terminal text printed after the summary table ('' when nothing was analysed); pairs named by `label` (see pairKeys). */
export function analysisSummary(doc: ResultsDoc, label: PairLabel = pairLabelOf): string {
  const skipped = doc.analysis.skipped.map((k) => wrapText(`no break-even or verdict for ${k.snn} under ${k.snnProfile} vs ${k.annProfile}: ${k.reason}`, TERMINAL_WIDTH, '  '));
  if (doc.analysis.pairs.length === 0) return skipped.join('\n');
  const be = breakEvenTable(doc, label);
  const v = verdictTable(doc, label);
  return [
    wrapText('break-even: σ = spikes per synapse per inference the SNN showed / σ* = where the SNN layer would cost what the ANN layer costs'),
    textTable(be.headers, be.rows, { keys: 2 }),
    '',
    wrapText(`verdict intervals (every constant over its range; ${doc.analysis.settings.monteCarloSamples} Monte Carlo samples, seed ${doc.analysis.settings.seed}):`),
    textTable(v.headers, v.rows, { keys: 2 }),
    ...(skipped.length > 0 ? ['', ...skipped] : []),
    '',
    'verdict per pair of profiles:',
    ...matchedVerdicts(doc).map((m) => wrapText(verdictSentence(m), TERMINAL_WIDTH, '  ')),
  ].join('\n');
}

const MAX_PANELS = 6;

/** The break-even chart (every SNN configuration's energy against σ, the ANN's line, observed σ and σ*) and the tornado at matched accuracy. */
export function analysisCharts(doc: ResultsDoc): ChartSpec[] {
  const allPairs = [...byPair(doc).values()];
  const pairs = allPairs.slice(0, MAX_PANELS);
  if (pairs.length === 0) return [];
  // a chart that leaves pairs out says so
  const which = allPairs.length > pairs.length ? `the first ${pairs.length} of ${allPairs.length} pairs of profiles (all are in the tables)` : 'each pair of profiles';
  const configs = [...new Set(pairs.flatMap((list) => list.map((p) => p.snn)))];
  const configColour = { field: 'series', type: 'nominal', title: 'line', sort: [...configs, 'ANN'], scale: { domain: [...configs, 'ANN'], range: [...orderedColours(configs).range, '#333333'] }, legend: LEGEND } as const;
  // E_SNN,l(σ) = F + σ·N·m over 0 … 2·max(σ, σ*) of every configuration, one panel per pair × layer
  const lines: { panel: string; sigma: number; energyJ: number; series: string; dashed: boolean }[] = [];
  const observed: { panel: string; sigma: number; energyJ: number; series: string; label: string }[] = [];
  const stars: { panel: string; sigma: number; energyJ: number; series: string; label: string }[] = [];
  const panels: string[] = [];
  for (const list of pairs) {
    const layers = [...new Map(list.flatMap((p) => p.breakEven.layers.filter((x) => x.sigmaStar !== null).map((l) => [l.layer, l] as const))).values()].sort((a, b) => a.layerIndex - b.layerIndex);
    for (const layer of layers) {
      const panel = `${pairName(list[0])} · ${layer.layerIndex + 1}. ${layer.layer}`;
      const rows = list.flatMap((p) => p.breakEven.layers.filter((l) => l.layer === layer.layer && l.sigmaStar !== null).map((l) => ({ p, l })));
      if (rows.length === 0) continue;
      panels.push(panel);
      const top = Math.max(0.05, ...rows.map(({ l }) => 2 * Math.max(l.sigma, l.never ? 0 : l.sigmaStar!)));
      for (const { p, l } of rows) {
        for (const x of [0, top]) lines.push({ panel, sigma: x, energyJ: l.snnFixedJ + x * l.snnPerSigmaJ, series: p.snn, dashed: false });
        observed.push({ panel, sigma: l.sigma, energyJ: l.snnJ, series: p.snn, label: `σ ${f3(l.sigma)}` });
        if (!l.never) stars.push({ panel, sigma: l.sigmaStar!, energyJ: l.annJ, series: p.snn, label: '' });
      }
      const annJ = rows[0].l.annJ;
      for (const x of [0, top]) lines.push({ panel, sigma: x, energyJ: annJ, series: 'ANN', dashed: true });
      // one label for the σ* of every configuration (they differ little): its range, at the smallest
      const s = stars.filter((x) => x.panel === panel).map((x) => x.sigma);
      if (s.length > 0) {
        const lo = Math.min(...s);
        const hi = Math.max(...s);
        stars.push({ panel, sigma: hi, energyJ: annJ, series: 'ANN', label: `σ* ${lo === hi ? f3(lo) : `${f3(lo)}–${f3(hi)}`}` });
      }
    }
  }
  const layerCount = Math.max(1, ...pairs.map((list) => new Set(list.flatMap((p) => p.breakEven.layers.filter((l) => l.sigmaStar !== null).map((l) => l.layer))).size));
  const columns = Math.min(3, layerCount);
  const x = { field: 'sigma', type: 'quantitative', title: 'spikes per synapse σ' } as const;
  const y = { field: 'energyJ', type: 'quantitative', title: 'energy per inference', axis: linearJoulesAxis('energy per inference') } as const;
  const values = [...lines.map((l) => ({ ...l, kind: 'line' })), ...observed.map((o) => ({ ...o, kind: 'observed' })), ...stars.map((o) => ({ ...o, kind: 'star' }))];
  const verdicts = matchedVerdicts(doc).slice(0, MAX_PANELS);
  const tornado = verdicts.flatMap((v) => {
    const p = v.chosen;
    return p.uncertainty.tornado.slice(0, 8).map((t) => ({ pair: `${pairName(p)} (${p.snn})`, constant: t.constant, low: Math.min(t.ratioAtLow, t.ratioAtHigh), high: Math.max(t.ratioAtLow, t.ratioAtHigh), ratio: p.uncertainty.ratio, flips: t.flipsVerdict ? 'yes' : 'no' }));
  });
  const chosen = [...new Set(verdicts.map((v) => v.chosen.snn))];
  const matched = verdicts.every((v) => v.match === 'matched');
  const charts: ChartSpec[] = [
    facetChart(
      'break-even',
      `SNN energy per layer against spikes per synapse σ, every SNN configuration (a line each, its observed σ marked) against the ANN (dashed): the SNN breaks even at σ* (a panel per layer for ${which})`,
      values,
      'panel',
      panels,
      {
        width: panelWidth(columns, { side: 130, max: 460 }),
        height: 170,
        layer: [
          { transform: [{ filter: "datum.kind === 'line'" }], mark: { type: 'line', tooltip: true, clip: true }, encoding: { x, y, color: configColour, strokeDash: { field: 'dashed', type: 'nominal', scale: { domain: [false, true], range: [[1, 0], [5, 3]] }, legend: null } } },
          { transform: [{ filter: "datum.kind === 'observed'" }], mark: { type: 'point', filled: true, size: 60, tooltip: true }, encoding: { x, y, color: configColour } },
          { transform: [{ filter: "datum.kind === 'observed'" }], mark: { type: 'text', align: 'right', dx: -6, dy: -6, fontSize: 10, color: '#333333' }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
          { transform: [{ filter: "datum.kind === 'star'" }], mark: { type: 'point', shape: 'diamond', filled: true, size: 50, color: '#333333', tooltip: true }, encoding: { x, y } },
          { transform: [{ filter: "datum.kind === 'star' && datum.label !== ''" }], mark: { type: 'text', align: 'left', dx: 6, dy: 12, fontSize: 10, color: '#333333' }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
        ],
      },
      { scale: { x: 'independent', y: 'independent' } },
      columns,
    ),
  ];
  if (tornado.length > 0) {
    charts.push(
      facetChart(
        'tornado',
        `Tornado ${matched ? 'at matched accuracy' : 'at the configuration of each verdict'} (${chosen.join(', ')}): E_SNN/E_ANN with one constant at its low and high end, the others at their values (a panel for ${which})`,
        tornado,
        'pair',
        [...new Set(tornado.map((t) => t.pair))],
        {
          width: 460,
          height: { step: 18 },
          layer: [
            { mark: { type: 'bar', tooltip: true }, encoding: { y: { field: 'constant', type: 'nominal', sort: { field: 'high', op: 'max', order: 'descending' }, title: null, axis: { labelLimit: 320 } }, x: { field: 'low', type: 'quantitative', title: 'E_SNN / E_ANN', axis: { tickCount: 6 } }, x2: { field: 'high' }, color: { field: 'flips', type: 'nominal', title: 'flips the verdict', scale: { domain: ['no', 'yes'], range: ['#4e79a7', '#e15759'] }, legend: LEGEND } } },
            { mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { datum: 1 } } },
          ],
        },
        { scale: { y: 'independent', x: 'independent' } },
        1,
      ),
    );
  }
  return charts;
}
