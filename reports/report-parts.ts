// Sections every report.html shares, whatever the workload family: the cost models, what they
// refused or left unpriced, and the appendix of constants. Trusted markup built with page.ts.
import type { ResultsDoc } from './results.js';
import { table } from './page.js';

/**
 * How each chip profile fared against published measurements (claims/measured.yaml, held to the
 * profiles by `joulebench audit`): profile id → one sentence. Given by the command that renders.
 */
export type MeasuredByProfile = ReadonlyMap<string, string>;

/**
 * The profiles of the document: id, model, title, description; and, when any of them is a chip held
 * against a published measurement, a column saying how it fared (modelled ÷ measured, or why none).
 */
export function profilesTable(doc: ResultsDoc, measured?: MeasuredByProfile): string {
  const shown = measured !== undefined && doc.profiles.some((p) => measured.has(p.id));
  const headers = ['profile', 'model', 'title', 'description', ...(shown ? ['held against a measurement (joulebench audit)'] : [])];
  return table(headers, doc.profiles.map((p) => [p.id, p.model, p.title, p.description, ...(shown ? [measured.get(p.id) ?? '–'] : [])]), 'wrap');
}

/** The appendix: every constant with its source and range, each profile's parameters, the evidence legend. */
export function constantsAppendix(doc: ResultsDoc): string {
  const constantRows = doc.constants.map((c) => [c.id, `${c.value} ${c.unit}`, `${c.low} – ${c.high} ${c.unit}`, `[${c.evidence}]`, c.source, c.rangeSource]);
  const parameterRows = doc.profiles.flatMap((p) => Object.entries(p.parameters).map(([name, v]) => [p.id, name, `${v.value} ${v.unit}`, v.source]));
  return `<h2>Appendix: every constant and its source</h2>
${table(['constant', 'value', 'range', 'evidence', 'source', 'range from'], constantRows, 'wrap')}
${parameterRows.length > 0 ? `<h3>Profile parameters</h3>\n${table(['profile', 'parameter', 'value', 'source'], parameterRows, 'wrap')}` : ''}
<p class="note">Evidence: [P] primary source, [S] secondary copy, [I] inferred.</p>
`;
}

/** Refusals grouped by profile and reason, with the configurations each covers (a study refuses many alike). */
export function refusalsSection(doc: ResultsDoc): string {
  const groups = new Map<string, { profile: string; reason: string; ids: string[] }>();
  for (const c of doc.configurations) {
    for (const r of c.refused) {
      const key = `${r.profile}\u0000${r.reason}`;
      const g = groups.get(key) ?? { profile: r.profile, reason: r.reason, ids: [] };
      g.ids.push(c.id);
      groups.set(key, g);
    }
  }
  if (groups.size === 0) return '<h3>Refusals</h3>\n<p class="note">Every profile priced every configuration.</p>';
  const all = doc.configurations.length;
  const rows = [...groups.values()].map((g) => [g.profile, g.ids.length === all ? `all ${all}` : `${g.ids.length} of ${all}: ${g.ids.join(', ')}`, g.reason]);
  return `<h3>Configurations a model refused to price</h3>
<p class="note">A model refuses what lies outside its valid range instead of extrapolating; a refused configuration has no energy under that profile and is absent from its charts.</p>
${table(['profile', 'configurations', 'reason'], rows, 'wrap')}`;
}

/** Per profile: which kinds of counts it leaves unpriced (e.g. memory traffic under an ops-only model) and in how many configurations. */
export function unpricedSection(doc: ResultsDoc): string {
  const rows = doc.profiles.flatMap(({ id }) => {
    const configs = doc.configurations.filter((c) => c.energy.some((e) => e.profile === id && e.unpriced.length > 0));
    if (configs.length === 0) return [];
    const what = [...new Set(configs.flatMap((c) => c.energy.find((e) => e.profile === id)!.unpriced.map((u) => u.what)))];
    return [[id, `${configs.length} of ${doc.configurations.length}`, `${what.slice(0, 8).join('; ')}${what.length > 8 ? ` (and ${what.length - 8} more)` : ''}`]];
  });
  if (rows.length === 0) return '';
  return `<h3>Counts a model leaves unpriced</h3>
<p class="note">These counts are in the ledger but carry no energy under the profile (its total is a lower bound).</p>
${table(['profile', 'configurations', 'unpriced counts'], rows, 'wrap')}`;
}
