// `joulebench seq`: the inter-token study (issue 7). Trains one small LM per block family on Brown
// corpus characters and on associative recall, reports bits per character and recall accuracy per
// context length beside the energy per generated token at several context lengths L, per profile,
// with the share of that energy spent on the KV cache or recurrent state, and where each family
// overtakes softmax attention.
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { exportFiles } from '../reports/exports.js';
import { renderReport } from '../reports/html.js';
import { measuredByProfile } from '../claims/measured-file.js';
import { cacheShareTable, crossoverLines, energyTable, floorLine, floorShortfallLines, matchedLines, qualityTable, recallCurveLines, refusalLines, sequenceEnergyCsv, sequenceMarkdown } from '../reports/sequence-view.js';
import { SEQUENCE_STUDY } from '../workloads/sequence/options.js';
import { parseFlagOptions } from './plugin-flags.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import { runSequenceStudy } from '../study/sequence.js';
import { DEFAULT_STUDY } from '../workloads/sequence/study.js';
import { UsageError } from './errors.js';
import { checkOutputDir, writeRunFolder } from './output-dir.js';

export interface SeqArgs {
  /** Study options given on the command line (camelCase keys of SEQUENCE_OPTIONS); left out = the declared default. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly profiles?: readonly string[];
  readonly out?: string;
  readonly force: boolean;
}

/** The study's options from those given: every check and default of SEQUENCE_OPTIONS (workloads/sequence/options.ts). */
export function studyOptions(args: SeqArgs): StudyOptions {
  const { task, ...rest } = parseFlagOptions(SEQUENCE_STUDY, args.options);
  const known = builtinProfileIds();
  const profiles = args.profiles && args.profiles.length > 0 ? [...args.profiles] : [...DEFAULT_STUDY.profiles];
  for (const p of profiles) if (!known.includes(p) && !/\.ya?ml$/.test(p)) throw new UsageError(`--cost-model: unknown profile "${p}"; known: ${known.join(', ')}`);
  return { ...DEFAULT_STUDY, ...rest, tasks: task === 'both' ? ['text', 'recall'] : [task], profiles };
}

export async function executeSeq(args: SeqArgs, out: (line: string) => void, log: (line: string) => void): Promise<void> {
  const o = studyOptions(args);
  const outDir = args.out === undefined ? null : checkOutputDir(args.out, args.force);
  for (const p of o.profiles) getProfile(p); // a bad profile file fails before any training
  const doc = await runSequenceStudy(o, o.profiles.map((p) => getProfile(p)), log);
  out('Quality per family (bits per character on held-out Brown text; recall accuracy per context length):');
  out(qualityTable(doc));
  out(floorLine(doc));
  for (const l of floorShortfallLines(doc)) out(`  ${l}`);
  out('');
  out('Energy per generated token vs context length L (one decode step, all layers), beside quality:');
  out(energyTable(doc));
  out('');
  out('At matched quality — per profile and L, the families that meet the floor, cheapest first, each predicting text better than every cheaper one (the cheapest family reaching b bits/char is the first with bits/char ≤ b):');
  for (const l of matchedLines(doc)) out(l);
  out('');
  out('Share of that energy spent on the KV cache and recurrent state:');
  out(cacheShareTable(doc));
  out('');
  for (const l of crossoverLines(doc)) out(l);
  for (const r of refusalLines(doc).slice(0, 4)) out(`refused — ${r}`);
  const recall = recallCurveLines(doc);
  if (recall.length > 0) out('');
  for (const l of recall) out(l);
  if (outDir !== null) {
    writeRunFolder(outDir, 'seq', new Map([['results.json', `${JSON.stringify(doc, null, 1)}\n`], ['energy.csv', sequenceEnergyCsv(doc)], ['report.html', renderReport(doc, measuredByProfile())], ['summary.md', `${sequenceMarkdown(doc)}\n`], ...exportFiles(doc)]), args.force);
    out(`\nwrote ${args.out}/{results.json,energy.csv,report.html,summary.md,benchmark.json,bmf.json}`);
  }
}
