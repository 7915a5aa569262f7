// Views of a sequence study's results document (kind "sequence", `joulebench seq`): per family and
// context length L, the energy per generated token under each profile with its shares by memory
// operand, the quality tables, the crossover against softmax attention and energy.csv. Render only:
// every number is read off the document.
import { stringify } from 'csv-stringify/sync';
import type { ResultsDoc, SequenceFamilyRecord } from './results.js';
import { nearChance } from './quality.js';
import { formatJ, pct, textTable } from './summary.js';

export type TokenEnergy =
  | { readonly profile: string; readonly perTokenJ: number; readonly shares: Readonly<Record<string, number>> }
  | { readonly profile: string; readonly refused: string };

export interface FamilyEnergyView {
  readonly family: SequenceFamilyRecord;
  readonly energy: readonly { readonly L: number; readonly priced: readonly TokenEnergy[] }[];
}

/** The sequence section of `doc`; a document of another kind is a bug of the caller. */
export function sequenceSection(doc: ResultsDoc) {
  if (doc.kind !== 'sequence' || doc.sequence === undefined) throw new Error(`a ${doc.kind} results document has no sequence study`);
  return doc.sequence;
}

/** Per family and L, each profile's energy per token and its shares ('kv', 'state', 'weight' … and 'compute'), or its refusal. */
export function familyEnergies(doc: ResultsDoc): FamilyEnergyView[] {
  const byId = new Map(doc.configurations.map((c) => [c.id, c]));
  return sequenceSection(doc).families.map((family) => ({
    family,
    energy: family.energy.map(({ L, configuration }) => {
      const c = byId.get(configuration)!;
      const priced = doc.profiles.map((p): TokenEnergy => {
        const e = c.energy.find((x) => x.profile === p.id);
        if (!e) return { profile: p.id, refused: c.refused.find((r) => r.profile === p.id)?.reason ?? 'not priced' };
        const shares: Record<string, number> = {};
        for (const it of e.items) {
          const k = it.component === 'memory' ? it.operand : 'compute';
          shares[k] = (shares[k] ?? 0) + (e.totalJ === 0 ? 0 : it.energyJ / e.totalJ);
        }
        return { profile: p.id, perTokenJ: e.totalJ, shares };
      });
      return { L, priced };
    }),
  }));
}

const options = (doc: ResultsDoc) => sequenceSection(doc).options as { tasks: readonly string[]; recallEvalLengths: readonly number[] };

/** Quality per family: parameters, bits per character, recall accuracy per L. */
export function qualityTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  const o = options(doc);
  const text = o.tasks.includes('text');
  const recallLs = o.tasks.includes('recall') ? o.recallEvalLengths : [];
  return render(
    ['family', 'kind', 'parameters', ...(text ? ['bits/char'] : []), ...recallLs.map((L) => `recall L=${L}`)],
    sequenceSection(doc).families.map((r) => [
      r.family,
      r.kind,
      String(r.parameters),
      ...(text ? [r.text ? r.text.bitsPerChar.toFixed(3) : '–'] : []),
      ...recallLs.map((L) => {
        const x = r.recall?.byLength.find((b) => b.L === L);
        return x ? pct(x.accuracy) : '–';
      }),
    ]),
  );
}

const jOrRefused = (p: TokenEnergy): string => ('refused' in p ? 'refused' : formatJ(p.perTokenJ));

/** Energy per generated token at each L, one column per profile. */
export function energyTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  return render(
    ['family', 'L', ...doc.profiles.map((p) => p.id)],
    familyEnergies(doc).flatMap((r) => r.energy.map((e) => [r.family.family, String(e.L), ...e.priced.map(jOrRefused)])),
  );
}

/** The profiles that price some memory traffic of the study (a KV cache or state share means something under them). */
export function memoryProfiles(doc: ResultsDoc, views: readonly FamilyEnergyView[] = familyEnergies(doc)): string[] {
  return doc.profiles.map((p) => p.id).filter((p) => views.some((r) => r.energy.some((e) => e.priced.some((x) => x.profile === p && !('refused' in x) && Object.keys(x.shares).some((k) => k !== 'compute')))));
}

/** Share of the energy per token spent reading and writing the KV cache / recurrent state, per memory-aware profile. */
export function cacheShareTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  const views = familyEnergies(doc);
  const profiles = memoryProfiles(doc, views);
  return render(
    ['family', 'L', ...profiles.map((p) => `${p} kv+state`)],
    views.flatMap((r) =>
      r.energy.map((e) => [
        r.family.family,
        String(e.L),
        ...profiles.map((p) => {
          const x = e.priced.find((y) => y.profile === p)!;
          return 'refused' in x ? 'refused' : pct((x.shares.kv ?? 0) + (x.shares.state ?? 0));
        }),
      ]),
    ),
  );
}

/** Per profile and family other than softmax: the smallest L of the study where the family costs less per token than softmax attention (null: at none); null when the run has no softmax family. */
export function crossovers(doc: ResultsDoc): { readonly profile: string; readonly family: string; readonly fromL: number | null }[] | null {
  const views = familyEnergies(doc);
  const base = views.find((r) => r.family.family === 'softmax');
  if (!base) return null;
  return doc.profiles.flatMap(({ id: profile }) =>
    views
      .filter((r) => r !== base)
      .map((r) => {
        const below = r.energy.find((e) => {
          const mine = e.priced.find((x) => x.profile === profile);
          const theirs = base.energy.find((b) => b.L === e.L)?.priced.find((x) => x.profile === profile);
          return mine && theirs && !('refused' in mine) && !('refused' in theirs) && mine.perTokenJ < theirs.perTokenJ;
        });
        return { profile, family: r.family.family, fromL: below ? below.L : null };
      }),
  );
}

/** Per profile and family: the smallest L of the study where the family costs less per token than softmax attention. */
export function crossoverLines(doc: ResultsDoc): string[] {
  const all = crossovers(doc);
  if (all === null) return ['(no softmax family in this run: no crossover against softmax attention)'];
  return doc.profiles.map(({ id: profile }) => `${profile}: cheaper than softmax per token — ${all.filter((x) => x.profile === profile).map((x) => `${x.family} ${x.fromL !== null ? `from L=${x.fromL}` : 'never'}`).join(', ')}`);
}

/** Distinct refusals, "profile: reason". */
export function refusalLines(doc: ResultsDoc): string[] {
  return [...new Set(familyEnergies(doc).flatMap((r) => r.energy.flatMap((e) => e.priced.flatMap((p) => ('refused' in p ? [`${p.profile}: ${p.refused}`] : [])))))];
}

/** energy.csv of a sequence study: one row per family × L × profile, with the shares by operand. */
export function sequenceEnergyCsv(doc: ResultsDoc): string {
  const rows: (string | number)[][] = [];
  for (const r of familyEnergies(doc)) {
    for (const e of r.energy) {
      for (const p of e.priced) {
        if ('refused' in p) rows.push([r.family.family, r.family.kind, e.L, p.profile, '', '', '', '', '', p.refused]);
        else rows.push([r.family.family, r.family.kind, e.L, p.profile, p.perTokenJ, p.shares.compute ?? 0, p.shares.weight ?? 0, p.shares.kv ?? 0, p.shares.state ?? 0, '']);
      }
    }
  }
  return stringify(rows, { header: true, columns: ['family', 'kind', 'context_length', 'profile', 'energy_per_token_j', 'compute_share', 'weight_share', 'kv_share', 'state_share', 'refused'] });
}

// ---------------------------------------------------------------------------------------------
// Recall training: curves and which families do not learn associative recall (issue 18)

/** Whether a family learns associative recall at this size, with the evidence. */
export interface RecallVerdict {
  readonly family: string;
  readonly learns: boolean;
  /** One line of evidence: test recall per L, best validation recall, steps and how training stopped. */
  readonly evidence: string;
}

/** The rule recallVerdicts applies, in words (printed beside the verdicts). */
export const RECALL_RULE =
  'a family does not learn associative recall at this size when its test recall at every evaluated L is near chance (1/values; reports/quality.ts nearChance on that many answers) and, where its checkpoint recorded validation recall during training, the best of that curve is near chance too';

/** The recall spec's value count (chance = 1/values); the default spec's when the options do not say. */
const recallValues = (doc: ResultsDoc): number => ((sequenceSection(doc).options as { recall?: { values?: number } }).recall?.values ?? 16);

/** Per family with a recall model: whether it learns recall (RECALL_RULE), with the evidence. */
export function recallVerdicts(doc: ResultsDoc): RecallVerdict[] {
  const K = recallValues(doc);
  return sequenceSection(doc).families.flatMap((f) => {
    const r = f.recall;
    if (!r || r.byLength.length === 0) return [];
    const testNear = r.byLength.every((b) => nearChance(b.accuracy, K, b.queries));
    const curve = r.validationCurve ?? [];
    const best = curve.length === 0 ? null : curve.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    const learns = !(testNear && (best === null || nearChance(best.accuracy, K, best.queries)));
    const test = `test recall ${r.byLength.map((b) => `${pct(b.accuracy)} at L=${b.L}`).join(', ')}`;
    const training = r.checkpoint
      ? `checkpoint ${r.checkpoint.name}: ${r.checkpoint.stepsTrained} steps, stopped by ${r.checkpoint.stop}${best ? `; best validation recall ${pct(best.accuracy)} at step ${best.step} (${best.queries} answers)` : ''}`
      : `trained by this run (${r.lossCurve.length} loss points, no validation curve)`;
    return [{ family: f.family, learns, evidence: `${test}; ${training}; chance ${pct(1 / K)}` }];
  });
}

/** Terminal lines: each recall curve (validation recall per evaluation), then the families that do not learn recall, by RECALL_RULE. */
export function recallCurveLines(doc: ResultsDoc): string[] {
  const fams = sequenceSection(doc).families.filter((f) => f.recall);
  if (fams.length === 0) return [];
  const out: string[] = [];
  for (const f of fams) {
    const c = f.recall!.validationCurve;
    if (c && c.length > 0) out.push(`  ${f.family}: validation recall at steps ${c[0].step}…${c.at(-1)!.step}: ${c.map((p) => (100 * p.accuracy).toFixed(1)).join(' ')} %`);
  }
  if (out.length > 0) out.unshift('Recall curves (validation recall during each checkpoint\'s training):');
  const verdicts = recallVerdicts(doc);
  const not = verdicts.filter((v) => !v.learns);
  out.push(not.length === 0 ? `Every family learns associative recall above chance (rule: ${RECALL_RULE}).` : `Not learning associative recall at this size (rule: ${RECALL_RULE}):`);
  for (const v of not) out.push(`  ${v.family}: ${v.evidence}`);
  return out;
}
