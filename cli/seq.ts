// `joulebench seq`: the inter-token study (issue 7). Trains one small LM per block family on Brown
// corpus characters and on associative recall, reports bits per character and recall accuracy per
// context length beside the energy per generated token at several context lengths L, per profile,
// with the share of that energy spent on the KV cache or recurrent state, and where each family
// overtakes softmax attention.
import { stringify } from 'csv-stringify/sync';
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { formatJ, pct, textTable } from '../reports/summary.js';
import { SEQUENCE_BLOCKS } from '../workloads/sequence/registry.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import type { FamilyResult } from '../study/sequence.js';
import { priceFamilies } from '../study/sequence.js';
import { DEFAULT_STUDY, runStudy } from '../workloads/sequence/study.js';
import { UsageError } from './errors.js';
import { checkOutputDir, writeRunFolder } from './output-dir.js';

export interface SeqArgs extends Partial<Omit<StudyOptions, 'tasks' | 'recall'>> {
  readonly task?: string;
  readonly out?: string;
  readonly force: boolean;
}

export function studyOptions(args: SeqArgs): StudyOptions {
  const families = args.families && args.families.length > 0 ? [...args.families] : [...SEQUENCE_BLOCKS.keys()];
  for (const f of families) if (!SEQUENCE_BLOCKS.has(f)) throw new UsageError(`--family: unknown family "${f}"; known: ${[...SEQUENCE_BLOCKS.keys()].join(', ')}`);
  const task = args.task ?? 'both';
  if (!['text', 'recall', 'both'].includes(task)) throw new UsageError(`--task must be text, recall or both, got "${task}"`);
  const known = builtinProfileIds();
  const profiles = args.profiles && args.profiles.length > 0 ? [...args.profiles] : [...DEFAULT_STUDY.profiles];
  for (const p of profiles) if (!known.includes(p) && !/\.ya?ml$/.test(p)) throw new UsageError(`--cost-model: unknown profile "${p}"; known: ${known.join(', ')}`);
  const num = (name: string, v: number | undefined, dflt: number, min = 1): number => {
    const x = v ?? dflt;
    if (!Number.isFinite(x) || !Number.isInteger(x) || x < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${x}`);
    return x;
  };
  const list = (name: string, v: readonly number[] | undefined, dflt: readonly number[]): number[] => {
    const xs = [...(v ?? dflt)];
    if (xs.length === 0) throw new UsageError(`--${name} needs at least one value`);
    for (const x of xs) num(name, x, 1);
    return xs;
  };
  const lr = args.learningRate ?? DEFAULT_STUDY.learningRate;
  if (!(lr > 0 && lr < 1)) throw new UsageError(`--learning-rate must be in (0, 1), got ${lr}`);
  const o: StudyOptions = {
    ...DEFAULT_STUDY,
    families,
    tasks: task === 'both' ? ['text', 'recall'] : [task as 'text' | 'recall'],
    d: num('d', args.d, DEFAULT_STUDY.d),
    heads: num('heads', args.heads, DEFAULT_STUDY.heads),
    layers: num('layers', args.layers, DEFAULT_STUDY.layers),
    mlpWidth: num('mlp-width', args.mlpWidth, DEFAULT_STUDY.mlpWidth),
    textSteps: num('text-steps', args.textSteps, DEFAULT_STUDY.textSteps),
    recallSteps: num('recall-steps', args.recallSteps, DEFAULT_STUDY.recallSteps),
    batch: num('batch', args.batch, DEFAULT_STUDY.batch),
    context: num('context', args.context, DEFAULT_STUDY.context, 2),
    learningRate: lr,
    recallTrainLengths: list('recall-train-lengths', args.recallTrainLengths, DEFAULT_STUDY.recallTrainLengths),
    recallEvalLengths: list('recall-lengths', args.recallEvalLengths, DEFAULT_STUDY.recallEvalLengths),
    recallSequences: num('recall-sequences', args.recallSequences, DEFAULT_STUDY.recallSequences),
    evalWindows: num('eval-windows', args.evalWindows, DEFAULT_STUDY.evalWindows),
    energyLengths: list('lengths', args.energyLengths, DEFAULT_STUDY.energyLengths),
    profiles,
    seed: num('seed', args.seed, DEFAULT_STUDY.seed, 0),
  };
  if (o.d % o.heads !== 0) throw new UsageError(`--heads (${o.heads}) must divide --d (${o.d})`);
  return o;
}

const jOrRefused = (p: FamilyResult['energy'][number]['priced'][number]): string => ('refused' in p ? 'refused' : formatJ(p.perTokenJ));

/** Quality per family: parameters, bits per character, recall accuracy per L. */
export function qualityTable(results: readonly FamilyResult[], o: StudyOptions): string {
  const recallLs = o.tasks.includes('recall') ? o.recallEvalLengths : [];
  return textTable(
    ['family', 'kind', 'parameters', ...(o.tasks.includes('text') ? ['bits/char'] : []), ...recallLs.map((L) => `recall L=${L}`)],
    results.map((r) => [
      r.family,
      r.kind,
      String(r.parameters),
      ...(o.tasks.includes('text') ? [r.text ? r.text.bitsPerChar.toFixed(3) : '–'] : []),
      ...recallLs.map((L) => {
        const x = r.recall?.byLength.find((b) => b.L === L);
        return x ? pct(x.accuracy) : '–';
      }),
    ]),
  );
}

/** Energy per generated token at each L, one column per profile. */
export function energyTable(results: readonly FamilyResult[], o: StudyOptions): string {
  return textTable(
    ['family', 'L', ...o.profiles],
    results.flatMap((r) => r.energy.map((e) => [r.family, String(e.L), ...e.priced.map(jOrRefused)])),
  );
}

/** Share of the energy per token spent reading and writing the KV cache / recurrent state, per memory-aware profile. */
export function cacheShareTable(results: readonly FamilyResult[], o: StudyOptions): string {
  const profiles = o.profiles.filter((p) => results.some((r) => r.energy.some((e) => e.priced.some((x) => x.profile === p && !('refused' in x) && Object.keys(x.shares).some((k) => k !== 'compute')))));
  return textTable(
    ['family', 'L', ...profiles.map((p) => `${p} kv+state`)],
    results.flatMap((r) =>
      r.energy.map((e) => [
        r.family,
        String(e.L),
        ...profiles.map((p) => {
          const x = e.priced.find((y) => y.profile === p)!;
          return 'refused' in x ? 'refused' : pct((x.shares.kv ?? 0) + (x.shares.state ?? 0));
        }),
      ]),
    ),
  );
}

/** Per profile and family: the smallest L of the study where the family costs less per token than softmax attention. */
export function crossoverLines(results: readonly FamilyResult[], o: StudyOptions): string[] {
  const base = results.find((r) => r.family === 'softmax');
  if (!base) return ['(no softmax family in this run: no crossover against softmax attention)'];
  const lines: string[] = [];
  for (const profile of o.profiles) {
    const parts: string[] = [];
    for (const r of results) {
      if (r === base) continue;
      const below = r.energy.find((e) => {
        const mine = e.priced.find((x) => x.profile === profile);
        const theirs = base.energy.find((b) => b.L === e.L)?.priced.find((x) => x.profile === profile);
        return mine && theirs && !('refused' in mine) && !('refused' in theirs) && mine.perTokenJ < theirs.perTokenJ;
      });
      parts.push(`${r.family} ${below ? `from L=${below.L}` : 'never'}`);
    }
    lines.push(`${profile}: cheaper than softmax per token — ${parts.join(', ')}`);
  }
  return lines;
}

export function energyCsvOf(results: readonly FamilyResult[]): string {
  const rows: (string | number)[][] = [];
  for (const r of results) {
    for (const e of r.energy) {
      for (const p of e.priced) {
        if ('refused' in p) rows.push([r.family, r.kind, e.L, p.profile, '', '', '', '', '', p.refused]);
        else rows.push([r.family, r.kind, e.L, p.profile, p.perTokenJ, p.shares.compute ?? 0, p.shares.weight ?? 0, p.shares.kv ?? 0, p.shares.state ?? 0, '']);
      }
    }
  }
  return stringify(rows, { header: true, columns: ['family', 'kind', 'context_length', 'profile', 'energy_per_token_j', 'compute_share', 'weight_share', 'kv_share', 'state_share', 'refused'] });
}

export async function executeSeq(args: SeqArgs, out: (line: string) => void, log: (line: string) => void): Promise<void> {
  const o = studyOptions(args);
  const outDir = args.out === undefined ? null : checkOutputDir(args.out, args.force);
  for (const p of o.profiles) getProfile(p); // a bad profile file fails before any training
  const results = priceFamilies(await runStudy(o, log), o.profiles);
  out('Quality per family (bits per character on held-out Brown text; recall accuracy per context length):');
  out(qualityTable(results, o));
  out('');
  out('Energy per generated token vs context length L (one decode step, all layers):');
  out(energyTable(results, o));
  out('');
  out('Share of that energy spent on the KV cache and recurrent state:');
  out(cacheShareTable(results, o));
  out('');
  for (const l of crossoverLines(results, o)) out(l);
  const refusals = [...new Set(results.flatMap((r) => r.energy.flatMap((e) => e.priced.flatMap((p) => ('refused' in p ? [`${p.profile}: ${p.refused}`] : [])))))];
  for (const r of refusals.slice(0, 4)) out(`refused — ${r}`);
  if (outDir !== null) {
    const doc = { schema: 'joulebench-seq/1', options: o, results };
    writeRunFolder(outDir, 'seq', new Map([['seq.json', `${JSON.stringify(doc, null, 1)}\n`], ['energy.csv', energyCsvOf(results)]]), args.force);
    out(`\nwrote ${args.out}/seq.json and ${args.out}/energy.csv`);
  }
}
