// Vega-Lite chart specs for a results document. Data are inlined; names from user files are data
// values, never markup. An image run's charts are here; a sequence study's and a brain model's live
// beside their reports (sequence-report.ts, brain-report.ts).
import { analysisCharts } from './analysis.js';
import { brainCharts } from './brain-report.js';
import type { ChartSpec, FacetPanel } from './chart-spec.js';
import { LEGEND, VEGA_LITE_SCHEMA, categoryEncoding, facetChart, facetColumns, fixedColours, linearJoulesAxis, logBase, logJoulesAxis, panelWidth } from './chart-spec.js';
import type { ResultsDoc } from './results.js';
import { sequenceCharts } from './sequence-report.js';

export type { ChartSpec };

type FacetEncoding = NonNullable<Extract<FacetPanel, { mark: unknown }>['encoding']>;

/** The charts of a results document of any kind: every chart its report.html shows, in order. */
export function buildCharts(doc: ResultsDoc): ChartSpec[] {
  if (doc.kind === 'sequence') return sequenceCharts(doc);
  if (doc.kind === 'brain') return brainCharts(doc);
  return imageCharts(doc);
}

/** An image run's charts: energy per layer, ANN vs SNN totals, accuracy beside energy, then the break-even and tornado charts of the analysis. */
export function imageCharts(doc: ResultsDoc): ChartSpec[] {
  return [...energyCharts(doc), ...analysisCharts(doc)];
}

/** The colour of each family in the accuracy–energy chart (the same in every report). */
const FAMILY_COLOURS = { domain: ['ANN', 'SNN'], range: ['#4e79a7', '#e15759'] };

/** Energy per layer stacked by category, totals per profile, accuracy beside energy. */
export function energyCharts(doc: ResultsDoc): ChartSpec[] {
  const configOrder = doc.configurations.map((c) => c.id);
  const profileOrder = doc.profiles.map((p) => p.id);
  const perLayer = doc.configurations.flatMap((c) =>
    c.energy.flatMap((e) => {
      // merge rows of the same layer × component × operand (e.g. potential read + write)
      const sums = new Map<string, { layer: string; part: string; energyJ: number; layerIndex: number }>();
      for (const i of e.items) {
        const part = `${i.component}: ${i.operand}`;
        const key = `${i.layerIndex}|${part}`;
        const prev = sums.get(key);
        if (prev) prev.energyJ += i.energyJ;
        else sums.set(key, { layer: `${i.layerIndex + 1}. ${i.layer}`, layerIndex: i.layerIndex, part, energyJ: i.energyJ });
      }
      return [...sums.values()].map((x) => ({ configuration: c.id, profile: e.profile, panel: `${e.profile} · ${x.layer}`, ...x }));
    }),
  );
  const layers = [...new Map([...perLayer].sort((a, b) => a.layerIndex - b.layerIndex).map((r) => [r.layer, r])).keys()];
  const panelOrder = profileOrder.flatMap((p) => layers.map((l) => `${p} · ${l}`));
  const layerColumns = Math.min(3, Math.max(1, layers.length));
  const totals = doc.configurations.flatMap((c) =>
    c.energy.map((e) => ({ configuration: c.id, family: c.backend.family.toUpperCase(), timesteps: c.backend.timesteps, profile: e.profile, energyJ: e.totalJ, accuracy: c.accuracy })),
  );
  const positive = totals.filter((t) => t.energyJ > 0);
  const totalProfiles = profileOrder.filter((p) => positive.some((t) => t.profile === p));
  const charts: ChartSpec[] = [
    facetChart(
      'energy-per-layer',
      `Energy per inference of each layer under each cost model, stacked by component and operand (every configuration; ${layers.length} layer${layers.length === 1 ? '' : 's'} × ${profileOrder.length} cost models)`,
      perLayer,
      'panel',
      panelOrder,
      {
        width: panelWidth(layerColumns, { max: 380 }),
        height: 170,
        mark: { type: 'bar', tooltip: true, strokeWidth: 1.2 },
        encoding: {
          x: { field: 'configuration', type: 'nominal', sort: configOrder, title: null, axis: { labelAngle: -30 } },
          y: { field: 'energyJ', type: 'quantitative', aggregate: 'sum', title: 'energy per inference', axis: linearJoulesAxis('energy per inference') },
          ...categoryEncoding('part', perLayer.map((r) => r.part), 'component: operand / op'),
        } as FacetEncoding,
      },
      { scale: { y: 'independent' } },
      layerColumns,
    ),
    {
      id: 'totals',
      title: 'ANN vs SNN total energy per inference under each cost model (log scale; every configuration and cost model)',
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        data: { values: positive },
        width: { step: Math.max(8, Math.min(24, Math.floor(760 / Math.max(1, configOrder.length * totalProfiles.length)))), for: 'offset' },
        height: 260,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'configuration', type: 'nominal', sort: configOrder, title: null, axis: { labelAngle: -30 } },
          xOffset: { field: 'profile', type: 'nominal', sort: totalProfiles },
          y: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(positive.map((t) => t.energyJ), 'energy per inference') },
          y2: { datum: logBase(positive.map((t) => t.energyJ)) },
          color: { field: 'profile', type: 'nominal', title: 'cost model', sort: totalProfiles, scale: fixedColours(totalProfiles), legend: LEGEND },
        },
      },
    },
  ];
  // one panel per pair of profiles the analysis chose (the ANN under its ANN profile, each SNN under the SNN profile), else per profile
  const pairs = doc.analysis.settings.pairs.length > 0 ? doc.analysis.settings.pairs : profileOrder.map((p) => ({ snnProfile: p, annProfile: p }));
  const panelOf = (p: { snnProfile: string; annProfile: string }) => (p.snnProfile === p.annProfile ? p.snnProfile : `${p.snnProfile} vs ${p.annProfile}`);
  const scored = pairs.flatMap((pair) => {
    const points = positive.filter((t) => t.accuracy !== null && t.profile === (t.family === 'ANN' ? pair.annProfile : pair.snnProfile)).sort((a, b) => a.energyJ - b.energyJ);
    // neighbouring labels alternate above and below their points
    return points.map((t, i) => ({ ...t, panel: panelOf(pair), side: i % 2 === 0 ? 'above' : 'below' }));
  });
  if (scored.length > 0) {
    const panels = [...new Set(scored.map((t) => t.panel))];
    const columns = facetColumns(panels.length);
    const x = { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(scored.map((t) => t.energyJ), 'energy per inference', true) } as const;
    const y = { field: 'accuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy', axis: { format: '.1%', tickCount: 5 } } as const;
    const label = (side: string, dy: number) => ({
      transform: [{ filter: `datum.side === '${side}'` }],
      mark: { type: 'text' as const, align: 'left' as const, dx: 6, dy, fontSize: 10 },
      encoding: { x, y, text: { field: 'configuration', type: 'nominal' as const } },
    });
    charts.push(
      facetChart(
        'accuracy-energy',
        'Accuracy beside energy: every configuration, one panel per pair of profiles (the ANN under the ANN profile, the SNNs under the SNN profile)',
        scored,
        'panel',
        panels,
        {
          width: panelWidth(columns, { side: 90, max: 480 }),
          height: 220,
          layer: [
            {
              mark: { type: 'point', filled: true, size: 90, tooltip: true },
              encoding: { x, y, color: { field: 'family', type: 'nominal', title: 'family', scale: FAMILY_COLOURS, legend: LEGEND }, shape: { field: 'family', type: 'nominal', title: 'family', scale: { domain: ['ANN', 'SNN'], range: ['square', 'circle'] }, legend: LEGEND } },
            },
            label('above', -8),
            label('below', 12),
          ],
        },
        { scale: { x: 'independent' } },
        columns,
      ),
    );
  }
  return charts;
}
