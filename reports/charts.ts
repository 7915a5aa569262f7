// Vega-Lite chart specs for a results document. Data are inlined; names from user files are data
// values, never markup. An image run's charts are here; a sequence study's and a brain model's live
// beside their reports (sequence-report.ts, brain-report.ts).
import { brainCharts } from './brain-report.js';
import type { ChartSpec } from './chart-spec.js';
import type { ResultsDoc } from './results.js';
import { sequenceCharts } from './sequence-report.js';

export type { ChartSpec };

const ENERGY_FORMAT = '.3~s';

/** The charts of a results document of any kind. */
export function buildCharts(doc: ResultsDoc): ChartSpec[] {
  if (doc.kind === 'sequence') return sequenceCharts(doc);
  if (doc.kind === 'brain') return brainCharts(doc);
  return imageCharts(doc);
}

/** An image run's charts: energy per layer, ANN vs SNN totals, accuracy beside energy. */
export function imageCharts(doc: ResultsDoc): ChartSpec[] {
  const configOrder = doc.configurations.map((c) => c.id);
  const perLayer = doc.configurations.flatMap((c) =>
    c.energy.flatMap((e) => {
      // merge rows of the same layer × component × operand (e.g. potential read + write)
      const sums = new Map<string, { layer: string; part: string; energyJ: number }>();
      for (const i of e.items) {
        const part = `${i.component}: ${i.operand}`;
        const key = `${i.layerIndex}|${part}`;
        const prev = sums.get(key);
        if (prev) prev.energyJ += i.energyJ;
        else sums.set(key, { layer: `${i.layerIndex + 1}. ${i.layer}`, part, energyJ: i.energyJ });
      }
      return [...sums.values()].map((s) => ({ configuration: c.id, profile: e.profile, ...s }));
    }),
  );
  const totals = doc.configurations.flatMap((c) =>
    c.energy.map((e) => ({ configuration: c.id, family: c.backend.family.toUpperCase(), timesteps: c.backend.timesteps, profile: e.profile, energyJ: e.totalJ, accuracy: c.accuracy })),
  );
  // Log-scale bars need a positive base: the decade at or below the smallest total.
  const positive = totals.map((t) => t.energyJ).filter((x) => x > 0);
  const logBase = positive.length > 0 ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 1e-12;
  const charts: ChartSpec[] = [
    {
      id: 'energy-per-layer',
      title: 'Energy per inference, per layer, stacked by component and operand',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: perLayer },
        facet: {
          row: { field: 'profile', type: 'nominal', title: 'cost model' },
          column: { field: 'layer', type: 'nominal', title: 'layer' },
        },
        spec: {
          width: 260,
          height: 180,
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'configuration', type: 'nominal', sort: configOrder, title: null, axis: { labelAngle: -30 } },
            y: { field: 'energyJ', type: 'quantitative', aggregate: 'sum', title: 'energy per inference (J)', axis: { format: ENERGY_FORMAT } },
            color: { field: 'part', type: 'nominal', title: 'component: operand / op' },
          },
        },
        resolve: { scale: { y: 'independent' } },
      },
    },
    {
      id: 'totals',
      title: 'ANN vs SNN total energy per inference under each cost model (log scale)',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: totals },
        width: 520,
        height: 260,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'configuration', type: 'nominal', sort: configOrder, title: null, axis: { labelAngle: -30 } },
          xOffset: { field: 'profile', type: 'nominal' },
          y: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, title: 'energy per inference (J)', axis: { format: ENERGY_FORMAT } },
          y2: { datum: logBase },
          color: { field: 'profile', type: 'nominal', title: 'cost model' },
        },
      },
    },
    {
      id: 'accuracy-energy',
      title: 'Accuracy beside energy: each configuration under each cost model',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: totals },
        facet: { column: { field: 'profile', type: 'nominal', title: 'cost model' } },
        resolve: { scale: { x: 'independent' } },
        spec: {
        width: 380,
        height: 260,
        layer: [
          {
            mark: { type: 'point', filled: true, size: 90, tooltip: true },
            encoding: {
              x: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, title: 'energy per inference (J)', axis: { format: ENERGY_FORMAT } },
              y: { field: 'accuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy', axis: { format: '.1%' } },
              color: { field: 'profile', type: 'nominal', title: 'cost model' },
              shape: { field: 'family', type: 'nominal', title: 'family' },
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 7, dy: -6, fontSize: 10 },
            encoding: {
              x: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' } },
              y: { field: 'accuracy', type: 'quantitative' },
              text: { field: 'configuration', type: 'nominal' },
              color: { field: 'profile', type: 'nominal' },
            },
          },
        ],
        },
      },
    },
  ];
  // without labels (a user's unlabelled inputs) there is no accuracy to set beside the energy
  return doc.configurations.some((c) => c.accuracy !== null) ? charts : charts.filter((c) => c.id !== 'accuracy-energy');
}
