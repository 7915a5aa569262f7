// report.html and charts of a sequence study (kind "sequence", `joulebench seq`): first the answer
// (the cheapest family per generated token at the longest context under each profile, and where each
// family overtakes softmax attention), then quality, energy per token against context length L, the
// share of it spent on the KV cache or recurrent state, quality against energy, refusals and the
// constants. The numbers come from the views of sequence-view.ts (the same as the terminal's).
import type { ChartSpec, FacetPanel, YEncoding } from './chart-spec.js';
import { LEGEND, VEGA_LITE_SCHEMA, facetChart, fixedColours, joulesAxis, logJoulesAxis } from './chart-spec.js';
import { chartBlock, escapeHtml, htmlPage, table } from './page.js';
import { constantsAppendix, profilesTable, refusalsSection, unpricedSection } from './report-parts.js';
import type { MeasuredByProfile } from './report-parts.js';
import type { ResultsDoc, SequenceCheckpointRecord } from './results.js';
import type { FamilyEnergyView } from './sequence-view.js';
import { RECALL_RULE, cacheShareTable, crossovers, energyTable, familyEnergies, floorLine, floorShortfallLines, matchedLines, memoryProfiles, qualityTable, recallVerdicts, sequenceSection } from './sequence-view.js';
import { formatJ } from './summary.js';

/** The context lengths of the study's decode steps, ascending. */
const contextLengths = (views: readonly FamilyEnergyView[]) => [...new Set(views.flatMap((v) => v.energy.map((e) => e.L)))].sort((a, b) => a - b);

/** One point per family × L × profile that priced it. */
function energyPoints(views: readonly FamilyEnergyView[]) {
  return views.flatMap((v) =>
    v.energy.flatMap((e) =>
      e.priced.flatMap((p) =>
        'refused' in p
          ? []
          : [{ family: v.family.family, kind: v.family.kind, L: e.L, profile: p.profile, energyJ: p.perTokenJ, cacheShare: (p.shares.kv ?? 0) + (p.shares.state ?? 0) }],
      ),
    ),
  );
}

const lAxis = (Ls: readonly number[]) => ({ field: 'L', type: 'quantitative' as const, scale: { type: 'log' as const, base: 2, nice: false, padding: 10 }, axis: { values: [...Ls], format: 'd', title: 'context length L (tokens)' } });
const kindDash = { field: 'kind', type: 'nominal' as const, title: 'kind', scale: { domain: ['ann', 'snn'], range: [[1, 0], [6, 3]] }, legend: { symbolType: 'stroke', symbolSize: 200, encode: { symbols: { update: { stroke: { value: '#555' }, strokeWidth: { value: 2 } } } } } };

export function sequenceCharts(doc: ResultsDoc): ChartSpec[] {
  const views = familyEnergies(doc);
  const families = views.map((v) => v.family.family);
  const profiles = doc.profiles.map((p) => p.id);
  const Ls = contextLengths(views);
  const points = energyPoints(views);
  const familyColour = { field: 'family', type: 'nominal' as const, title: 'family', sort: families, scale: fixedColours(families), legend: LEGEND };
  const charts: ChartSpec[] = [];
  const positive = points.filter((p) => p.energyJ > 0);
  const lines = (y: YEncoding, height: number): FacetPanel => ({ width: 280, height, mark: { type: 'line', point: true, tooltip: true }, encoding: { x: lAxis(Ls), y, color: familyColour, strokeDash: kindDash } });
  if (positive.length > 0) {
    const y: YEncoding = { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(positive.map((p) => p.energyJ), 'energy per token') };
    charts.push(facetChart('energy-vs-context', 'Energy per generated token against context length L, one line per family, per cost model (log–log)', positive, 'profile', profiles, lines(y, 200)));
  }
  const memory = new Set(memoryProfiles(doc, views));
  const shares = points.filter((p) => memory.has(p.profile));
  if (shares.length > 0) {
    const y: YEncoding = { field: 'cacheShare', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%', title: 'KV cache + state share' } };
    charts.push(facetChart('cache-share-vs-context', 'Share of the energy per token spent on the KV cache or recurrent state, against L (profiles that price memory)', shares, 'profile', profiles, lines(y, 180)));
  }
  const quality = qualityPoints(views);
  if (quality.points.length > 0) {
    const metrics = [...new Set(quality.points.map((p) => p.metric))];
    charts.push({
      id: 'quality-vs-energy',
      title: `Quality against energy per token at the largest context length (L = ${quality.L})`,
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        data: { values: quality.points },
        hconcat: metrics.map((metric, i) => ({
          title: { text: metric, anchor: 'middle' as const, fontSize: 12 },
          transform: [{ filter: { field: 'metric', equal: metric } }],
          facet: { row: { field: 'profile', type: 'nominal', sort: profiles, title: null, header: i === 0 ? { labelAngle: 0, labelAlign: 'left', labelOrient: 'left', labelLimit: 180 } : { labels: false } } },
          spec: {
            width: 300,
            height: 110,
            encoding: {
              x: { field: 'energyJ', type: 'quantitative', scale: { type: 'log' }, axis: logJoulesAxis(quality.points.map((p) => p.energyJ), `energy per token at L = ${quality.L}`) },
              y: {
                field: 'value',
                type: 'quantitative',
                title: null,
                scale: metric.startsWith('recall') ? { domain: [0, 1] } : { zero: false },
                axis: metric.startsWith('recall') ? { format: '.0%', tickCount: 3 } : { format: '.2f', tickCount: 3 },
              },
            },
            layer: [
              { mark: { type: 'point', filled: true, size: 90, tooltip: true }, encoding: { color: familyColour, shape: { field: 'kind', type: 'nominal', title: 'kind', scale: { domain: ['ann', 'snn'], range: ['circle', 'triangle-up'] }, legend: LEGEND } } },
              { mark: { type: 'text', align: 'left', dx: 7, dy: -6, fontSize: 10, color: '#333333' }, encoding: { text: { field: 'family', type: 'nominal' } } },
            ],
          },
        })),
      },
    });
  }
  return charts;
}

/** Per family and profile at the largest L: energy per token beside bits per character and recall at the longest recall length. */
function qualityPoints(views: readonly FamilyEnergyView[]) {
  const L = Math.max(...contextLengths(views));
  const recallLs = views.flatMap((v) => v.family.recall?.byLength.map((b) => b.L) ?? []);
  const recallL = recallLs.length > 0 ? Math.max(...recallLs) : null;
  const points = views.flatMap((v) => {
    const at = v.energy.find((e) => e.L === L);
    if (!at) return [];
    const metrics: { metric: string; value: number }[] = [];
    if (v.family.text) metrics.push({ metric: 'bits per character (lower is better)', value: v.family.text.bitsPerChar });
    const r = recallL === null ? undefined : v.family.recall?.byLength.find((b) => b.L === recallL);
    if (r) metrics.push({ metric: `recall accuracy at L = ${recallL}`, value: r.accuracy });
    return at.priced.flatMap((p) => ('refused' in p || !(p.perTokenJ > 0) ? [] : metrics.map((m) => ({ family: v.family.family, kind: v.family.kind, profile: p.profile, energyJ: p.perTokenJ, ...m }))));
  });
  return { L, points };
}

/** The answer per profile: the cheapest family per token at the longest L, against softmax there, and where each family overtakes softmax. */
export function answerRows(doc: ResultsDoc): { headers: string[]; rows: string[][]; L: number } {
  const views = familyEnergies(doc);
  const Ls = contextLengths(views);
  const L = Ls.length > 0 ? Ls[Ls.length - 1] : 0;
  if (Ls.length === 0) return { headers: ['cost model', 'cheapest per token'], rows: doc.profiles.map(({ id }) => [id, 'no decode step in this study']), L };
  const cross = crossovers(doc);
  const rows = doc.profiles.map(({ id }) => {
    const at = views.flatMap((v) => {
      const p = v.energy.find((e) => e.L === L)?.priced.find((x) => x.profile === id);
      return p && !('refused' in p) ? [{ family: v.family.family, kind: v.family.kind, J: p.perTokenJ }] : [];
    });
    const crossing = cross === null ? 'no softmax family in this run' : cross.filter((x) => x.profile === id).map((x) => `${x.family} ${x.fromL !== null ? `from L=${x.fromL}` : 'never'}`).join(', ') || '–';
    if (at.length === 0) {
      const reason = doc.configurations.flatMap((c) => c.refused.filter((r) => r.profile === id)).map((r) => r.reason)[0] ?? 'not priced';
      return [id, 'refused', '–', '–', `refused: ${reason}`];
    }
    const best = at.reduce((a, b) => (b.J < a.J ? b : a));
    const softmax = at.find((x) => x.family === 'softmax');
    const vs = softmax === undefined || softmax.J === 0 ? '–' : best.family === 'softmax' ? '1× (softmax itself)' : `${(softmax.J / best.J).toPrecision(3)}× cheaper`;
    return [id, `${best.family} (${best.kind})`, formatJ(best.J), vs, crossing];
  });
  return { headers: ['cost model', `cheapest per token at L = ${L}`, 'energy per token', 'against softmax at that L', 'cheaper than softmax per token'], rows, L };
}

/** Recall curves (validation recall during checkpoint training) and each family's recall verdict (RECALL_RULE). */
function recallSection(doc: ResultsDoc): string {
  const verdicts = recallVerdicts(doc);
  if (verdicts.length === 0) return '';
  const curves = sequenceSection(doc).families.filter((f) => (f.recall?.validationCurve?.length ?? 0) > 0);
  const curveRows = curves.map((f) => [f.family, f.recall!.validationCurve!.map((p) => `${p.step}: ${(100 * p.accuracy).toFixed(1)}%`).join(' · ')]);
  return `<h3>Does each family learn associative recall?</h3>
<p class="note">Rule: ${escapeHtml(RECALL_RULE)}.</p>
${table(['family', 'learns recall', 'evidence'], verdicts.map((v) => [v.family, v.learns ? 'yes' : 'no (near chance)', v.evidence]), 'wrap')}
${curveRows.length > 0 ? `<h3>Recall curves</h3>\n<p class="note">Validation recall (step: accuracy) while each checkpoint was trained.</p>\n${table(['family', 'validation recall by training step'], curveRows, 'wrap')}` : ''}`;
}

export function renderSequenceReport(doc: ResultsDoc, measured?: MeasuredByProfile): string {
  const s = sequenceSection(doc);
  const Ls = contextLengths(familyEnergies(doc));
  const charts = sequenceCharts(doc);
  const answer = answerRows(doc);
  const html = (headers: readonly string[], rows: readonly (readonly string[])[]) => table(headers, rows);
  const training = (t: { readonly lossCurve: readonly number[]; readonly checkpoint?: SequenceCheckpointRecord | null } | null) =>
    t ? `${t.checkpoint ? `checkpoint ${t.checkpoint.name}, ${t.checkpoint.stepsTrained} steps (${t.checkpoint.stop}), ` : ''}loss ${t.lossCurve[0]?.toFixed(3) ?? '–'} → ${t.lossCurve.at(-1)?.toFixed(3) ?? '–'}` : '–';
  const familyRows = s.families.map((f) => [f.family, f.kind, f.title, String(f.parameters), training(f.text), training(f.recall), f.source]);
  const w = doc.workload;
  return htmlPage(
    `joulebench — ${w.id}`,
    `<p class="sub">${escapeHtml(w.title)} · ${s.families.length} block families · context lengths ${escapeHtml(Ls.join(', '))} · dataset ${escapeHtml(w.dataset)} · seed ${doc.seed} · results schema v${doc.schemaVersion}</p>
<p class="note">Each family is the same small language model (embedding, pre-norm residual mixer + MLP, head) with a different inter-token block. The energy is that of generating one token at context length L (one decode step through every layer, the KV cache or recurrent state read and written), priced by each cost model. Kind: ann = dense activations, snn = spiking block.</p>

<h2>Answer</h2>
<p class="note">Under each cost model: the family that spends least per generated token at the longest context length of the study, by how much it undercuts softmax attention there, and from which L (of those measured) each family is cheaper per token than softmax attention — at fixed training steps, whatever its quality. Read it beside the quality table and the comparison at matched quality below: a cheaper family that predicts worse is not a free win, and one below the quality floor has not learned to use its context.</p>
${table(answer.headers, answer.rows, 'wrap')}

<h2>Quality</h2>
<p class="note">Bits per character on held-out Brown text (lower is better) and associative-recall accuracy at each evaluated context length. ${escapeHtml(floorLine(doc))}.</p>
${qualityTable(doc, html)}
${recallSection(doc)}

${floorShortfallLines(doc).length > 0 ? `<ul>${floorShortfallLines(doc).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}

<h3>Energy at matched quality</h3>
<p class="note">Per cost model and context length: the families that meet the quality floor, cheapest per token first, each kept only where it predicts text better than every cheaper one (the Pareto front). The cheapest family reaching b bits/char is the first entry with bits/char ≤ b; a family left out is either below the floor or beaten by a cheaper one.</p>
<ul>${matchedLines(doc).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>

<h2>Charts</h2>
${charts.map(chartBlock).join('\n')}

<h2>Energy per generated token</h2>
${energyTable(doc, html)}

<h3>Share spent on the KV cache and recurrent state</h3>
${cacheShareTable(doc, html)}

<h2>Families</h2>
${table(['family', 'kind', 'block', 'parameters', 'text training', 'recall training', 'source'], familyRows, 'wrap')}

<h2>Cost models</h2>
${profilesTable(doc, measured)}
${refusalsSection(doc)}
${unpricedSection(doc)}

${constantsAppendix(doc)}
`,
    charts,
  );
}
