// report.html: one self-contained file (no network): summary tables, vega charts compiled from
// Vega-Lite in Node and rendered in the page by an inlined vega bundle, the ledger per layer, and an
// appendix listing every constant with its source. All text from results is HTML-escaped.
import type { ResultsDoc } from './results.js';
import { analysisCharts, breakEvenTable, matchedVerdicts, verdictSentence, verdictTable } from './analysis.js';
import { renderBrainReport } from './brain-report.js';
import { energyCharts } from './charts.js';
import { chartBlock, escapeHtml, htmlPage, table } from './page.js';
import { constantsAppendix, profilesTable } from './report-parts.js';
import type { MeasuredByProfile } from './report-parts.js';
import { renderSequenceReport } from './sequence-report.js';
import { formatJ, pct, summaryRows } from './summary.js';

export { escapeHtml };

const num = (x: number): string => (Math.abs(x) >= 1e6 ? x.toExponential(3) : Number.isInteger(x) ? String(x) : x.toPrecision(4));

/** report.html of a results document of any kind (image run, sequence study, brain model). */
/** The report of a results document; `measured` says how each chip profile fared against published measurements. */
export function renderReport(doc: ResultsDoc, measured?: MeasuredByProfile): string {
  if (doc.kind === 'sequence') return renderSequenceReport(doc, measured);
  if (doc.kind === 'brain') return renderBrainReport(doc, measured);
  return renderImageReport(doc, measured);
}

function renderImageReport(doc: ResultsDoc, measured?: MeasuredByProfile): string {
  const charts = energyCharts(doc);
  const aCharts = analysisCharts(doc);
  const summary = summaryRows(doc);
  const verdictsAt = matchedVerdicts(doc);
  // the ratio columns (configuration, accuracy, one per pair) beside the energies (configuration, one per profile), wrapping below them when the column is too narrow
  const ratioColumns = doc.analysis.settings.pairs.length > 0 ? 2 + doc.analysis.settings.pairs.length : summary.headers.length;
  const columns = (from: number, to: number) => (r: readonly string[]) => [r[0], ...r.slice(from, to)];
  const marked = (i: number) => (compared.has(doc.configurations[i].id) ? 'matched' : '');
  // the rows the verdict sentences compare: the ANN and each pair's chosen SNN
  const compared = new Set(verdictsAt.flatMap((v) => [v.chosen.snn, v.chosen.ann]));
  const summaryTables = `<div class="tables">
${table(summary.headers.slice(0, ratioColumns), summary.rows.map((r) => r.slice(0, ratioColumns)), 'summary', marked)}
${ratioColumns < summary.headers.length ? table(columns(ratioColumns, summary.headers.length)(summary.headers), summary.rows.map(columns(ratioColumns, summary.headers.length)), 'summary energies', marked) : ''}
</div>`;
  const tolerance = verdictsAt.find((v) => v.tolerance !== null)?.tolerance ?? null;
  const answer =
    verdictsAt.length === 0
      ? '<p class="note">No pair of profiles priced both an SNN configuration and the ANN: no verdict (see the summary and the pairs without an analysis below).</p>'
      : `<ul class="answer">\n${verdictsAt.map((v) => `<li>${verdictSentence(v, { text: escapeHtml, strong: (x) => `<strong>${x}</strong>`, pair: (x) => `<span class="pair">${x}</span>` })}</li>`).join('\n')}\n</ul>
<p class="note">Each SNN configuration is priced under the SNN profile of a pair, the ANN under its ANN profile. Matched accuracy: the cheapest SNN at most one standard error below the ANN's accuracy${tolerance !== null ? ` (√(p(1−p)/n) = ${(tolerance * 100).toFixed(2)} points on ${doc.samples} samples)` : ''}; its row and the ANN's are highlighted. Ranges hold every constant over its low–high range; P(SNN cheaper) from ${doc.analysis.settings.monteCarloSamples} Monte Carlo samples (details: Verdict intervals).</p>`;
  const be = breakEvenTable(doc);
  const verdicts = verdictTable(doc);
  const totalRows = doc.configurations.flatMap((c) =>
    c.energy.map((e) => [
      c.id,
      e.profile,
      formatJ(e.totalJ),
      `${formatJ(e.uncertainty.lowJ)} – ${formatJ(e.uncertainty.highJ)}`,
      e.uncertainty.monteCarlo ? `${formatJ(e.uncertainty.monteCarlo.p05)} – ${formatJ(e.uncertainty.monteCarlo.p95)}` : '–',
    ]),
  );
  const s = doc.analysis.settings;
  const ledgerRows = doc.configurations.flatMap((c) =>
    c.ledger.layers.map((l) => [
      c.id,
      l.name,
      `${l.geometry.fanIn}→${l.geometry.fanOut}`,
      num(l.geometry.denseSynOps),
      num(l.activity.inputEvents.mean),
      `${num(l.activity.synOps.mean)} ± ${num(l.activity.synOps.sd)}`,
      l.activity.spikesPerSynapse.mean.toFixed(3),
      l.activity.outputRate.mean.toFixed(4),
      pct(l.activity.inputSparsity.mean),
    ]),
  );
  const nbRows = doc.configurations.map((c) => [
    c.id,
    num(c.neurobench.Footprint),
    c.neurobench.ConnectionSparsity === undefined ? '—' : pct(c.neurobench.ConnectionSparsity),
    num(c.neurobench.Dense),
    num(c.neurobench.Effective_MACs),
    num(c.neurobench.Effective_ACs),
    num(c.neurobench.MembraneUpdates),
    pct(c.neurobench.ActivationSparsity),
  ]);
  const refusedRows = doc.configurations.flatMap((c) => c.refused.map((r) => [c.id, r.profile, r.reason]));
  const unpricedRows = doc.configurations.flatMap((c) =>
    c.energy.filter((e) => e.unpriced.length > 0).map((e) => [c.id, e.profile, e.unpriced.map((u) => `${u.layer} ${u.what}: ${num(u.count)}`).join('; ')]),
  );
  const w = doc.workload;
  const title = `joulebench — ${w.id}`;
  return htmlPage(
    title,
    `<p class="sub">${escapeHtml(w.title)} · dataset ${escapeHtml(w.dataset)} · ${doc.samples} test samples · seed ${doc.seed} · results schema v${doc.schemaVersion}</p>

<h2>Verdict</h2>
${answer}

<h2>Summary</h2>
${summaryTables}
<p class="note">Energy per inference of the same workload as a dense ANN and as a converted spiking network at each number of timesteps, priced by each cost model. E_SNN/E_ANN (bounds over every constant's range) under each pair of an SNN profile and an ANN profile: below 1× the SNN uses less energy; compare only at matched accuracy.</p>

<h2>Charts</h2>
${charts.map(chartBlock).join('\n')}

<h2>Break-even: spikes per synapse σ*</h2>
<p class="note">Each SNN configuration priced under an SNN profile, against the ANN priced under an ANN profile. σ is the number of spikes per synapse per inference the SNN showed in a layer; σ* the number at which that layer of the SNN would cost what the same layer of the ANN costs (other layers and the layer's own outputs unchanged). A layer whose σ is above σ* costs more as an SNN; "never": its SNN costs exceed the ANN's even without spikes. Network: the σ shared by every layer at which the totals are equal. Pairs: ${escapeHtml(s.pairRule)}.</p>
${s.pairs.filter((x) => x.warning).map((x) => `<p class="note"><strong>Warning:</strong> ${escapeHtml(x.warning!)}.</p>\n`).join('')}${doc.analysis.pairs.length > 0 ? table(be.headers, be.rows) : '<p class="note">No pair of profiles priced both an SNN configuration and the ANN.</p>'}
${doc.analysis.skipped.length > 0 ? `<h3>Pairs without an analysis</h3>\n${table(['SNN profile vs ANN profile', 'configuration', 'why'], doc.analysis.skipped.map((k) => [`${k.snnProfile} vs ${k.annProfile}`, k.snn, k.reason]), 'wrap')}` : ''}

<h2>Verdict intervals</h2>
<p class="note">E_SNN/E_ANN with every constant over its low–high range: bounds (all constants low / high; outer bounds for the ratio), ${s.monteCarloSamples} seeded Monte Carlo samples (seed ${s.seed}, ${escapeHtml(s.distribution)} per constant, a constant shared by both sides drawn once). The verdict holds only when the whole bound lies on one side of 1.</p>
${doc.analysis.pairs.length > 0 ? table(verdicts.headers, verdicts.rows, 'wrap') : ''}
${aCharts.map(chartBlock).join('\n')}

<h3>Every total over the range of its constants</h3>
${table(['configuration', 'profile', 'energy', 'bounds', 'Monte Carlo p05–p95'], totalRows)}

<h2>Ledger: activity per layer</h2>
<p class="note">Input events are nonzero inputs (ANN) or input spikes summed over all timesteps (SNN). SOP = input events × fan-out; σ = SOP / dense synaptic operations is the number of spikes per synapse per inference; rate = output events per neuron per timestep.</p>
${table(['configuration', 'layer', 'shape', 'dense syn. ops', 'input events', 'SOP (mean ± sd)', 'σ', 'output rate', 'input sparsity'], ledgerRows)}

<h3>NeuroBench metrics (per inference)</h3>
<p class="note">As NeuroBench 2.x defines them: an SNN's layers count once per timestep (Dense = T × one step's dense synaptic operations); effective operations pair a nonzero input with a nonzero weight, MACs where the input is not binary; ActivationSparsity over the outputs of ReLU and spiking layers; ConnectionSparsity = zero weights / weights.</p>
${table(['configuration', 'Footprint (bytes)', 'ConnectionSparsity', 'Dense', 'Effective_MACs', 'Effective_ACs', 'MembraneUpdates', 'ActivationSparsity'], nbRows)}

<h2>Cost models</h2>
${profilesTable(doc, measured)}
${refusedRows.length > 0 ? `<h3>Configurations a model refused to price</h3>\n<p class="note">A model refuses what lies outside its valid range instead of extrapolating.</p>\n${table(['configuration', 'profile', 'reason'], refusedRows, 'wrap')}` : ''}
${unpricedRows.length > 0 ? `<h3>Counts a model leaves unpriced</h3>\n${table(['configuration', 'profile', 'unpriced counts (per inference)'], unpricedRows, 'wrap')}` : ''}

${constantsAppendix(doc)}
`,
    [...charts, ...aCharts],
  );
}
