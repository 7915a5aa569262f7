// report.html and charts of a brain model (kind "brain", `joulebench brain <model>`): the model's
// quality, the energy per sample of each phase under each profile, the share of each layer in
// multi-layer phases, learning against inference, the ledger, refusals and the constants. The tables
// are those of brain-view.ts (the terminal's), rendered as HTML.
import type { PhaseView } from './brain-view.js';
import { brainSection, energyTable, layerEnergyTable, learningRatios, ledgerTable, phaseViews, pricingNotes, qualityLines } from './brain-view.js';
import type { ChartSpec } from './chart-spec.js';
import { LEGEND, VEGA_LITE_SCHEMA, facetChart, fixedColours, logBase, logJoulesAxis, logTicks, orderedColours } from './chart-spec.js';
import { chartBlock, escapeHtml, htmlPage, table } from './page.js';
import { constantsAppendix, profilesTable, refusalsSection, unpricedSection } from './report-parts.js';
import type { MeasuredByProfile } from './report-parts.js';
import type { ResultsDoc } from './results.js';
import { formatJ } from './summary.js';

const phaseLabel = (p: { experiment: string; phase: string }) => `${p.experiment} · ${p.phase}`;

/** Energy per sample of each layer of a phase under one profile (items summed by layer). */
function layerEnergies(p: PhaseView, profile: string): number[] | null {
  const e = p.config.energy.find((x) => x.profile === profile);
  if (!e) return null;
  const perLayer = p.ledger.layers.map(() => 0);
  for (const item of e.items) perLayer[item.layerIndex] += item.energyJ;
  return perLayer;
}

export function brainCharts(doc: ResultsDoc): ChartSpec[] {
  const phases = phaseViews(doc);
  const profiles = doc.profiles.map((p) => p.id);
  const labels = phases.map(phaseLabel);
  const charts: ChartSpec[] = [];
  const bars = phases.flatMap((p) => p.config.energy.filter((e) => e.totalJ > 0).map((e) => ({ phase: phaseLabel(p), per: p.per, samples: p.samples, profile: e.profile, energyJ: e.totalJ })));
  const barProfiles = profiles.filter((id) => bars.some((b) => b.profile === id));
  if (bars.length > 0) {
    charts.push({
      id: 'phase-energy',
      title: 'Energy per sample of each phase under each cost model (log scale)',
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        data: { values: bars },
        width: { step: Math.max(6, Math.min(14, Math.floor(720 / (labels.length * barProfiles.length)))), for: 'offset' },
        height: 260,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'phase', type: 'nominal', sort: labels, title: null, axis: { labelAngle: -20, labelLimit: 220 } },
          xOffset: { field: 'profile', type: 'nominal', sort: barProfiles },
          y: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(bars.map((b) => b.energyJ), 'energy per sample') },
          y2: { datum: logBase(bars.map((b) => b.energyJ)) },
          color: { field: 'profile', type: 'nominal', title: 'cost model', sort: barProfiles, scale: fixedColours(barProfiles), legend: LEGEND },
        },
      },
    });
  }
  const multi = phases.filter((p) => p.ledger.layers.length > 1);
  const layerRows = multi.flatMap((p) =>
    profiles.flatMap((profile) => {
      const perLayer = layerEnergies(p, profile);
      if (perLayer === null || perLayer.every((x) => x === 0)) return [];
      return p.ledger.layers.map((l, i) => ({ phase: phaseLabel(p), profile, layer: l.name, energyJ: perLayer[i] }));
    }),
  );
  if (layerRows.length > 0) {
    const layers = [...new Set(layerRows.map((r) => r.layer))];
    const layerProfiles = profiles.filter((id) => layerRows.some((r) => r.profile === id));
    charts.push(
      facetChart(
        'layer-shares',
        'Multi-layer phases: share of each layer in the energy per sample, per cost model',
        layerRows,
        'phase',
        labels,
        {
          width: { step: 18 },
          height: 200,
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'profile', type: 'nominal', sort: layerProfiles, title: null, axis: { labelAngle: -40 } },
            y: { field: 'energyJ', type: 'quantitative', aggregate: 'sum', stack: 'normalize', title: 'share of the phase', axis: { format: '.0%' } },
            color: { field: 'layer', type: 'nominal', title: 'layer', sort: layers, scale: orderedColours(layers), legend: LEGEND },
          },
        },
        { scale: { x: 'independent' } },
      ),
    );
  }
  const ratios = learningRatios(doc).filter((r) => r.ratio !== null && r.ratio > 0);
  if (ratios.length > 0) {
    const experiments = [...new Set(ratios.map((r) => r.experiment))];
    const ratioProfiles = profiles.filter((id) => ratios.some((r) => r.profile === id));
    const values = ratios.map((r) => ({ experiment: r.experiment, profile: r.profile, ratio: r.ratio!, learning: `${r.learning.phase} per ${r.learning.per}`, inference: `${r.inference.phase} per ${r.inference.per}` }));
    const ticks = logTicks([...values.map((v) => v.ratio), 1]);
    charts.push({
      id: 'learning-vs-inference',
      title: 'Learning against inference: energy per sample of the learning phase over that of the inference phase (log scale; 1 = equal)',
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        data: { values },
        width: { step: 48 },
        height: 220,
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { y: { datum: 1 } } },
          {
            mark: { type: 'point', filled: true, size: 90, tooltip: true },
            encoding: {
              x: { field: 'profile', type: 'nominal', sort: ratioProfiles, title: null, axis: { labelAngle: -30 } },
              y: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, axis: { values: ticks, format: '~g', labelExpr: "datum.label + '×'", labelOverlap: 'greedy', title: 'learning / inference (per sample)' } },
              color: { field: 'experiment', type: 'nominal', title: 'experiment', sort: experiments, scale: orderedColours(experiments), legend: LEGEND },
            },
          },
          {
            transform: [{ calculate: "format(datum.ratio, '.3~r') + '×'", as: 'ratioLabel' }],
            mark: { type: 'text', align: 'left', dx: 8, fontSize: 10, color: '#333333' },
            encoding: { x: { field: 'profile', type: 'nominal', sort: ratioProfiles }, y: { field: 'ratio', type: 'quantitative' }, text: { field: 'ratioLabel', type: 'nominal' } },
          },
        ],
      },
    });
  }
  return charts;
}

/** Profiles × phases (and extra ledgers): energy per sample, 'refused' or '–' (not asked). */
function pivotRows(doc: ResultsDoc): { headers: string[]; rows: string[][] } {
  const b = brainSection(doc);
  const byId = new Map(doc.configurations.map((c) => [c.id, c]));
  const entries = [
    ...phaseViews(doc).map((p) => ({ what: `${phaseLabel(p)} (per ${p.per}, ${p.samples} samples)`, config: p.config })),
    ...b.extra.map((x) => ({ what: `${x.name} (per token)`, config: byId.get(x.configuration)! })),
  ];
  return {
    headers: ['cost model', ...entries.map((e) => e.what)],
    rows: doc.profiles.map(({ id }) => [
      id,
      ...entries.map((e) => {
        const x = e.config.energy.find((y) => y.profile === id);
        return x ? formatJ(x.totalJ) : e.config.refused.some((r) => r.profile === id) ? 'refused' : '–';
      }),
    ]),
  };
}

/** Quality lines of brain-view.ts as HTML: its tables as tables, its sentences as notes. */
function qualityHtml(doc: ResultsDoc): string {
  const tables = new Set<string>();
  const render = (headers: readonly string[], rows: readonly (readonly string[])[]) => {
    const t = table(headers, rows, 'wrap');
    tables.add(t);
    return t;
  };
  return qualityLines(doc, render)
    .filter((line) => line !== '')
    .map((line) => (tables.has(line) ? line : `<p class="note">${escapeHtml(line)}</p>`))
    .join('\n');
}

export function renderBrainReport(doc: ResultsDoc, measured?: MeasuredByProfile): string {
  const b = brainSection(doc);
  const charts = brainCharts(doc);
  const html = (headers: readonly string[], rows: readonly (readonly string[])[]) => table(headers, rows);
  const pivot = pivotRows(doc);
  const byLayer = layerEnergyTable(doc, html);
  const ratios = learningRatios(doc);
  const ratioRows = ratios.map((r) => [r.experiment, r.profile, `${formatJ(r.learning.energyJ)} per ${r.learning.per}`, `${formatJ(r.inference.energyJ)} per ${r.inference.per}`, r.ratio === null ? '– (inference 0 J)' : `${r.ratio.toPrecision(3)}×`]);
  const notes = pricingNotes(doc);
  const options = Object.entries(b.options).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(' ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join(' · ');
  const w = doc.workload;
  return htmlPage(
    `joulebench — ${w.id}`,
    `<p class="sub">${escapeHtml(w.title)} · dataset ${escapeHtml(b.dataset)} · seed ${doc.seed} · results schema v${doc.schemaVersion}</p>
<p class="note">Options: ${escapeHtml(options)}</p>
<p class="note">Each phase of the model (learning, storage, recall, inference …) has its own ledger, counted per sample of that phase (a training image, a stored pattern, a probe, a token) and priced by each cost model. Learning is priced apart from inference: a phase that writes weights pays for the writes.</p>

<h2>Quality</h2>
${qualityHtml(doc)}

<h2>Energy per sample of each phase</h2>
${table(pivot.headers, pivot.rows)}

<h2>Charts</h2>
${charts.map(chartBlock).join('\n')}

<h2>Learning against inference</h2>
${ratioRows.length > 0 ? `<p class="note">Per experiment with a learning (or storage) phase and an inference (or recall) phase: the energy per sample of each and their ratio, under each profile that priced both.</p>\n${table(['experiment', 'profile', 'learning', 'inference', 'learning / inference'], ratioRows)}` : '<p class="note">No experiment of this run has both a learning and an inference phase priced by the same profile.</p>'}

${byLayer !== null ? `<h2>Energy per layer</h2>\n<p class="note">Phases with more than one layer: the energy per sample of each layer and its share of the phase.</p>\n${byLayer}\n` : ''}
<h2>Ledger per phase</h2>
<p class="note">Counts per sample (means over the phase's samples).</p>
${ledgerTable(doc, html)}

<h3>Phase totals</h3>
<p class="note">Energy per sample × the phase's samples.</p>
${energyTable(doc, html)}

<h2>Cost models</h2>
${profilesTable(doc, measured)}
${notes.length > 0 ? `<ul class="note">\n${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}\n</ul>` : ''}
${refusalsSection(doc)}
${unpricedSection(doc)}

${constantsAppendix(doc)}
`,
    charts,
  );
}
