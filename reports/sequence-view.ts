// Views of a sequence study's results document (kind "sequence", `joulebench seq`): per family and
// context length L, the energy per generated token under each profile with its shares by memory
// operand, the quality tables, the crossover against softmax attention and energy.csv. Render only:
// every number is read off the document.
import { stringify } from 'csv-stringify/sync';
import type { ResultsDoc, SequenceFamilyRecord } from './results.js';
import { nearChance } from './quality.js';
import { markdownTable } from './markdown.js';
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

/**
 * A family against the study's quality floor: 'meets', 'ablation' (the zero mixer the floor comes from),
 * 'BELOW' (its shortfalls: floorShortfallLines), or '–' in a document without a floor.
 */
export function floorCell(doc: ResultsDoc, f: SequenceFamilyRecord): string {
  const floor = sequenceSection(doc).floor;
  if (!floor || f.belowFloor === undefined) return '–';
  if (f.family === floor.reference) return 'ablation';
  return f.belowFloor.length === 0 ? 'meets' : 'BELOW';
}

/** One line per family below the floor, naming each shortfall. */
export function floorShortfallLines(doc: ResultsDoc): string[] {
  const floor = sequenceSection(doc).floor;
  if (!floor) return [];
  return sequenceSection(doc)
    .families.filter((f) => f.family !== floor.reference && f.belowFloor !== undefined && f.belowFloor.length > 0)
    .map((f) => `${f.family} is below the floor: ${f.belowFloor!.join('; ')}`);
}

/** The floor in words: "bits/char ≤ 3.612 and recall ≥ zero + 5 points (the zero-mixer ablation's, by margins 0.05 bits and 5 points)". */
export function floorLine(doc: ResultsDoc): string {
  const floor = sequenceSection(doc).floor;
  if (!floor) return 'quality floor: none (the zero-mixer ablation did not run)';
  const parts: string[] = [];
  if (floor.bitsPerChar !== null) parts.push(`bits/char ≤ ${floor.bitsPerChar.toFixed(3)}`);
  if (floor.recall.length > 0) parts.push(`recall ≥ ${floor.recall.map((r) => `${pct(r.accuracy)} at L=${r.L}`).join(', ')}`);
  const by = [...(floor.bitsPerChar !== null ? [`${floor.bpcMargin} bits/char`] : []), ...(floor.recall.length > 0 ? [`${(100 * floor.recallMargin).toFixed(1)} points of recall`] : [])];
  return `quality floor: ${parts.join(' and ')} — the ${floor.reference}-mixer ablation's quality improved by ${by.join(' and ')}; rows below it are flagged BELOW: their energy per token is that of a mixer that has not learned to use its context`;
}

/** Quality per family: parameters, bits per character, recall accuracy per L, and the quality floor. */
export function qualityTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  const o = options(doc);
  const text = o.tasks.includes('text');
  const recallLs = o.tasks.includes('recall') ? o.recallEvalLengths : [];
  return render(
    ['family', 'kind', 'parameters', ...(text ? ['bits/char'] : []), ...recallLs.map((L) => `recall L=${L}`), 'quality floor'],
    sequenceSection(doc).families.map((r) => [
      r.family,
      r.kind,
      String(r.parameters),
      ...(text ? [r.text ? r.text.bitsPerChar.toFixed(3) : '–'] : []),
      ...recallLs.map((L) => {
        const x = r.recall?.byLength.find((b) => b.L === L);
        return x ? pct(x.accuracy) : '–';
      }),
      floorCell(doc, r),
    ]),
  );
}

/** A family's quality in the energy table's cells: bits/char, recall at L (where evaluated), floor ('ok', 'ablation', 'BELOW'). */
function qualityCells(doc: ResultsDoc, f: SequenceFamilyRecord, L: number): string[] {
  const r = f.recall?.byLength.find((b) => b.L === L);
  const cell = floorCell(doc, f);
  return [f.text ? f.text.bitsPerChar.toFixed(3) : '–', r ? pct(r.accuracy) : '–', cell === 'meets' ? 'ok' : cell];
}

/** Per profile and L: the Pareto front of energy per token against bits/char among families that meet the floor (results' `matched`). */
export function matchedLines(doc: ResultsDoc, Ls?: readonly number[]): string[] {
  const matched = sequenceSection(doc).matched;
  if (matched === undefined) return ['(no matched-quality comparison in this document)'];
  if (matched.length === 0) return ['(no text task: no matched-quality comparison by bits/char)'];
  const floor = sequenceSection(doc).floor;
  const anyMeets = sequenceSection(doc).families.some((f) => f.family !== floor?.reference && f.belowFloor !== undefined && f.belowFloor.length === 0);
  return matched
    .filter((m) => Ls === undefined || Ls.includes(m.L))
    .map((m) => `${m.profile}, L=${m.L}: ${m.front.length > 0 ? m.front.map((e) => `${e.family} ${e.bitsPerChar.toFixed(3)} bits/char at ${formatJ(e.energyJ)}`).join(' → ') : anyMeets ? 'refused every family that meets the quality floor' : 'no family meets the quality floor'}`);
}

const jOrRefused = (p: TokenEnergy): string => ('refused' in p ? 'refused' : formatJ(p.perTokenJ));

/** Energy per generated token at each L, one column per profile, beside the family's quality and the floor's verdict. */
export function energyTable(doc: ResultsDoc, render: typeof textTable = textTable): string {
  return render(
    ['family', 'L', 'bits/char', 'recall at L', 'floor', ...doc.profiles.map((p) => p.id)],
    familyEnergies(doc).flatMap((r) => r.energy.map((e) => [r.family.family, String(e.L), ...qualityCells(doc, r.family, e.L), ...e.priced.map(jOrRefused)])),
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
        const f = r.family;
        const recall = f.recall?.byLength.find((b) => b.L === e.L);
        const quality = [f.text ? f.text.bitsPerChar : '', recall ? recall.accuracy : '', f.belowFloor === undefined || !sequenceSection(doc).floor ? '' : f.family === sequenceSection(doc).floor!.reference ? 'ablation' : f.belowFloor.length > 0 ? 'below' : 'meets'];
        if ('refused' in p) rows.push([f.family, f.kind, e.L, ...quality, p.profile, '', '', '', '', '', p.refused]);
        else rows.push([f.family, f.kind, e.L, ...quality, p.profile, p.perTokenJ, p.shares.compute ?? 0, p.shares.weight ?? 0, p.shares.kv ?? 0, p.shares.state ?? 0, '']);
      }
    }
  }
  return stringify(rows, { header: true, columns: ['family', 'kind', 'context_length', 'bits_per_char', 'recall_accuracy', 'quality_floor', 'profile', 'energy_per_token_j', 'compute_share', 'weight_share', 'kv_share', 'state_share', 'refused'] });
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

/** Each family's recall validation curve, where its checkpoint recorded one: steps, how training stopped, the best point, the curve in %. */
interface RecallCurve {
  readonly family: string;
  readonly steps: readonly number[];
  readonly percents: string;
  readonly checkpoint: NonNullable<NonNullable<SequenceFamilyRecord['recall']>['checkpoint']> | null;
  readonly best: { readonly step: number; readonly accuracy: number };
}
function recallCurves(doc: ResultsDoc): RecallCurve[] {
  return sequenceSection(doc).families.flatMap((f) => {
    const c = f.recall?.validationCurve;
    if (!c || c.length === 0) return [];
    const best = c.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    return [{ family: f.family, steps: c.map((p) => p.step), percents: c.map((p) => (100 * p.accuracy).toFixed(1)).join(' '), checkpoint: f.recall!.checkpoint ?? null, best }];
  });
}

/** The verdicts on recall in lines: every family learns it, or those that do not with their evidence (RECALL_RULE). */
function notLearningLines(doc: ResultsDoc, item: (line: string) => string): string[] {
  const not = recallVerdicts(doc).filter((v) => !v.learns);
  return [not.length === 0 ? `Every family learns associative recall above chance (rule: ${RECALL_RULE}).` : `Not learning associative recall at this size (rule: ${RECALL_RULE}):`, ...not.map((v) => item(`${v.family}: ${v.evidence}`))];
}

/** Terminal lines: each recall curve (validation recall per evaluation), then the families that do not learn recall, by RECALL_RULE. */
export function recallCurveLines(doc: ResultsDoc): string[] {
  if (!sequenceSection(doc).families.some((f) => f.recall)) return [];
  const curves = recallCurves(doc).map((c) => `  ${c.family}: validation recall at steps ${c.steps[0]}…${c.steps.at(-1)}: ${c.percents} %`);
  return [...(curves.length > 0 ? ['Recall curves (validation recall during each checkpoint\'s training):', ...curves] : []), ...notLearningLines(doc, (l) => `  ${l}`)];
}

/** Markdown: the Pareto fronts at the shortest and longest L, the recall curves as a table, the recall verdicts. */
function markdownSections(doc: ResultsDoc, lo: number, hi: number): string[] {
  const out: string[] = [];
  if (sequenceSection(doc).matched !== undefined && sequenceSection(doc).matched!.length > 0) {
    out.push('', `**At matched quality** — per profile, among the families that meet the floor, the cheapest at each bits/char (the Pareto front, from the cheapest to the best text model) at L = ${lo} and ${hi}:`, '', ...matchedLines(doc, [lo, hi]).map((l) => `- ${l}`));
  }
  if (!sequenceSection(doc).families.some((f) => f.recall)) return out;
  const curves = recallCurves(doc);
  if (curves.length > 0) {
    out.push('', '**Recall training** (validation recall at each evaluation of the checkpoint\'s training, %):', '');
    out.push(
      markdownTable(
        ['family', 'steps', 'stopped by', 'best (step)', 'validation recall per evaluation'],
        curves.map((c) => [c.family, String(c.checkpoint?.stepsTrained ?? c.steps.at(-1)), c.checkpoint?.stop ?? '–', `${(100 * c.best.accuracy).toFixed(1)}% (${c.best.step})`, `${c.percents} (steps ${c.steps[0]}…${c.steps.at(-1)})`]),
      ),
    );
  }
  out.push('', ...notLearningLines(doc, (l) => `- ${l}`));
  return out;
}

/**
 * The study in one Markdown table, a row per family (the README's results table): kind, bits/char,
 * recall at each evaluated L, energy per token at the shortest → the longest L under each profile, the
 * KV cache and state share at the longest L under each memory-aware profile, and the quality floor
 * (meets, **below** with the tasks it falls short on, or ablation). A floor line and the checkpoints
 * the models came from follow it, then the comparison at matched quality at the shortest and longest L,
 * the recall curves recorded by the checkpoints, and the families that do not learn recall.
 */
export function sequenceMarkdown(doc: ResultsDoc): string {
  const o = options(doc);
  const views = familyEnergies(doc);
  const Ls = views[0]?.energy.map((e) => e.L) ?? [];
  const [lo, hi] = [Ls[0], Ls[Ls.length - 1]];
  const memory = memoryProfiles(doc, views);
  const text = o.tasks.includes('text');
  const recallLs = o.tasks.includes('recall') ? o.recallEvalLengths : [];
  const energyAt = (v: FamilyEnergyView, L: number, profile: string): TokenEnergy => v.energy.find((e) => e.L === L)!.priced.find((p) => p.profile === profile)!;
  const floorText = (f: SequenceFamilyRecord): string => {
    const cell = floorCell(doc, f);
    if (cell !== 'BELOW') return cell;
    const tasks = [...(f.belowFloor!.some((b) => b.startsWith('bits/char')) ? ['text'] : []), ...(f.belowFloor!.some((b) => b.startsWith('recall')) ? ['recall'] : [])];
    return `**below** (${tasks.join(', ')})`;
  };
  const headers = [
    'family',
    'kind',
    ...(text ? ['bits/char'] : []),
    ...(recallLs.length > 0 ? [`recall L=${recallLs.join(' / ')}`] : []),
    ...doc.profiles.map((p) => `${p.id} L=${lo} → ${hi}`),
    ...(memory.length > 0 ? [`KV+state share at ${hi} (${memory.join(' / ')})`] : []),
    'quality floor',
  ];
  const rows = views.map((v) => {
    const f = v.family;
    return [
      f.family,
      f.kind,
      ...(text ? [f.text ? f.text.bitsPerChar.toFixed(2) : '–'] : []),
      ...(recallLs.length > 0 ? [recallLs.map((L) => f.recall?.byLength.find((b) => b.L === L)).map((r) => (r ? `${Math.round(100 * r.accuracy)}%` : '–')).join(' / ')] : []),
      ...doc.profiles.map((p) => {
        const [a, b] = [energyAt(v, lo, p.id), energyAt(v, hi, p.id)];
        return 'refused' in a || 'refused' in b ? 'refused' : `${formatJ(a.perTokenJ)} → ${formatJ(b.perTokenJ)}`;
      }),
      ...(memory.length > 0
        ? [
            memory
              .map((p) => {
                const x = energyAt(v, hi, p);
                return 'refused' in x ? 'refused' : `${Math.round(100 * ((x.shares.kv ?? 0) + (x.shares.state ?? 0)))}%`;
              })
              .join(' / '),
          ]
        : []),
      floorText(f),
    ];
  });
  const models = sequenceSection(doc).families.flatMap((f) =>
    (['text', 'recall'] as const).flatMap((task) => {
      const ck = f[task]?.checkpoint;
      return ck ? [`${f.family} (${task}): ${ck.name}, ${ck.stepsTrained} steps (${ck.stop}), sha256 ${ck.sha256.slice(0, 12)}`] : [];
    }),
  );
  const trained = sequenceSection(doc).families.length * o.tasks.length - models.length;
  return [
    markdownTable(headers, rows),
    '',
    floorLine(doc),
    '',
    models.length === 0 ? 'Every model was trained by this run (no checkpoint).' : `Models from checkpoints: ${models.join('; ')}${trained > 0 ? `; ${trained} trained by this run` : ''}.`,
    ...markdownSections(doc, lo, hi),
  ].join('\n');
}
