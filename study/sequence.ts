// The inter-token study's results document (`joulebench seq`): each block family's decode step at every
// context length L (workloads/sequence/study.ts executes and counts) becomes one configuration of the
// one results document, priced under every profile through the one pricing service (study/results.ts);
// the families' quality (bits per character, recall per L, loss curves) goes to its `sequence` section.
import type { HardwareProfile } from '../cost-models/profile.js';
import type { ResultsDoc, SequenceFamilyRecord, SequenceSection } from '../reports/results.js';
import type { FamilyRun, StudyOptions } from '../workloads/sequence/study.js';
import { runStudy } from '../workloads/sequence/study.js';
import type { StudyConfiguration } from './results.js';
import { buildResults } from './results.js';
import type { QualityOf } from './sequence-quality.js';
import { belowFloor, paretoFront, qualityFloor } from './sequence-quality.js';

/** The configuration id of a family's decode step at context length L. */
export const sequenceConfigId = (family: string, L: number): string => `${family}-L${L}`;

/** The quality metrics a family's decode step at L carries: bits per character, and recall accuracy where recall was evaluated at L. */
function qualityAt(run: FamilyRun, L: number): Record<string, number> {
  const q: Record<string, number> = {};
  if (run.text) q.bits_per_char = run.text.bitsPerChar;
  const r = run.recall?.byLength.find((b) => b.L === L);
  if (r) q.recall_accuracy = r.accuracy;
  return q;
}

const qualityOf = (r: FamilyRun): QualityOf => ({ family: r.family, bitsPerChar: r.text ? r.text.bitsPerChar : null, recall: r.recall ? r.recall.byLength : [] });

/** The results document of a sequence study: one configuration per family × context length. */
export function buildSequenceResults(runs: readonly FamilyRun[], o: StudyOptions, profiles: readonly HardwareProfile[]): ResultsDoc {
  const floor = qualityFloor(runs.map(qualityOf), o.bpcMargin, o.recallMargin);
  const shortfalls = new Map(runs.map((r) => [r.family, floor ? belowFloor(qualityOf(r), floor) : []]));
  const configurations: StudyConfiguration[] = runs.flatMap((r) =>
    r.energy.map((e) => ({
      id: sequenceConfigId(r.family, e.L),
      accuracy: null,
      quality: qualityAt(r, e.L),
      labels: { family: r.family, kind: r.kind, L: e.L, floor: floor === null ? 'none' : r.family === floor.reference ? 'ablation' : shortfalls.get(r.family)!.length > 0 ? 'below' : 'meets' },
      ledger: e.ledger,
    })),
  );
  const families: SequenceFamilyRecord[] = runs.map((r) => ({
    family: r.family,
    title: r.title,
    kind: r.kind,
    source: r.source,
    blockConfig: { ...r.blockConfig },
    parameters: r.parameters,
    text: r.text && { bitsPerChar: r.text.bitsPerChar, characters: r.text.characters, lossCurve: r.text.lossCurve, checkpoint: r.text.checkpoint },
    recall: r.recall,
    energy: r.energy.map((e) => ({ L: e.L, configuration: sequenceConfigId(r.family, e.L) })),
    belowFloor: shortfalls.get(r.family)!,
  }));
  const tasks = o.tasks.map((t) => (t === 'text' ? 'next-character prediction (Brown corpus)' : 'associative recall'));
  const doc = buildResults({
    kind: 'sequence',
    workload: {
      id: 'sequence',
      title: 'Inter-token study: energy per generated token against context length',
      dataset: o.tasks.includes('text') ? 'brown' : 'associative-recall',
      task: tasks.join('; '),
      metric: o.tasks.includes('text') ? 'bits_per_char' : 'recall_accuracy',
      layers: [],
      training: { textSteps: o.textSteps, recallSteps: o.recallSteps, batch: o.batch, context: o.context, learningRate: o.learningRate, seed: o.seed },
      conversion: null,
    },
    samples: o.evalWindows,
    seed: o.seed,
    runs: configurations,
    profiles,
    // bounds over every constant's range for each total; no Monte Carlo (tens of families × lengths × profiles)
    monteCarloSamples: 0,
    sequence: { options: { ...o }, families, floor },
  });
  return { ...doc, sequence: { ...doc.sequence!, matched: matchedQuality(doc, families) } };
}

/**
 * Per profile and context length: the Pareto front of energy per token against bits per character among
 * the families that meet the quality floor (study/sequence-quality.ts). Empty without a text task.
 */
function matchedQuality(doc: ResultsDoc, families: readonly SequenceFamilyRecord[]): NonNullable<SequenceSection['matched']> {
  const byId = new Map(doc.configurations.map((c) => [c.id, c]));
  const Ls = [...new Set(families.flatMap((f) => f.energy.map((e) => e.L)))].sort((a, b) => a - b);
  const eligible = families.filter((f) => f.text !== null && f.belowFloor !== undefined && f.belowFloor.length === 0 && doc.sequence?.floor);
  if (!families.some((f) => f.text !== null)) return [];
  return doc.profiles.flatMap(({ id: profile }) =>
    Ls.map((L) => ({
      profile,
      L,
      front: paretoFront(
        eligible.flatMap((f) => {
          const e = f.energy.find((x) => x.L === L);
          const priced = e && byId.get(e.configuration)?.energy.find((x) => x.profile === profile);
          return priced ? [{ family: f.family, bitsPerChar: f.text!.bitsPerChar, energyJ: priced.totalJ }] : [];
        }),
      ),
    })),
  );
}

/** Trains (cached), evaluates and counts every family of the study, and prices the decode steps into the results document. */
export async function runSequenceStudy(o: StudyOptions, profiles: readonly HardwareProfile[], log: (line: string) => void): Promise<ResultsDoc> {
  return buildSequenceResults(await runStudy(o, log), o, profiles);
}
