// `joulebench seq`: the inter-token study (issue 7). Trains one small LM per block family on Brown
// corpus characters and on associative recall, reports bits per character and recall accuracy per
// context length beside the energy per generated token at several context lengths L, per profile,
// with the share of that energy spent on the KV cache or recurrent state, and where each family
// overtakes softmax attention.
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { cacheShareTable, crossoverLines, energyTable, qualityTable, refusalLines, sequenceEnergyCsv } from '../reports/sequence-view.js';
import { SEQUENCE_BLOCKS } from '../workloads/sequence/registry.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import { buildSequenceResults } from '../study/sequence.js';
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

export async function executeSeq(args: SeqArgs, out: (line: string) => void, log: (line: string) => void): Promise<void> {
  const o = studyOptions(args);
  const outDir = args.out === undefined ? null : checkOutputDir(args.out, args.force);
  for (const p of o.profiles) getProfile(p); // a bad profile file fails before any training
  const doc = buildSequenceResults(await runStudy(o, log), o, o.profiles.map((p) => getProfile(p)));
  out('Quality per family (bits per character on held-out Brown text; recall accuracy per context length):');
  out(qualityTable(doc));
  out('');
  out('Energy per generated token vs context length L (one decode step, all layers):');
  out(energyTable(doc));
  out('');
  out('Share of that energy spent on the KV cache and recurrent state:');
  out(cacheShareTable(doc));
  out('');
  for (const l of crossoverLines(doc)) out(l);
  for (const r of refusalLines(doc).slice(0, 4)) out(`refused — ${r}`);
  if (outDir !== null) {
    writeRunFolder(outDir, 'seq', new Map([['results.json', `${JSON.stringify(doc, null, 1)}\n`], ['energy.csv', sequenceEnergyCsv(doc)]]), args.force);
    out(`\nwrote ${args.out}/results.json and ${args.out}/energy.csv`);
  }
}
