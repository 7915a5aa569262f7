// The inter-token study behind `joulebench seq`: for each block family, a small LM is trained on
// char-level text and on associative recall (train.ts) — or loaded from a trained checkpoint
// (checkpoint.ts, `--checkpoints`) whose model and training recipe are the run's — evaluated with its counted decoder
// (evaluate.ts) — bits per character on the Brown test split, recall accuracy per context length —
// and its decode step's ledger is recorded at several context lengths L (priced per token under the
// chosen profiles by the study layer, study/sequence.ts).
import { InputError } from '../../core/errors.js';
import type { Ledger } from '../../core/ledger.js';
import { brownTokens } from '../text/brown-corpus.js';
import { VOCAB_SIZE } from '../text/brown-corpus.js';
import type { BlockConfig, SequenceBlock } from './block.js';
import type { CountsOverSteps } from './evaluate.js';
import { countsAtLengths, evaluateRecall, evaluateText, sequenceLedger } from './evaluate.js';
import type { LmConfig } from './lm.js';
import { lmParams } from './lm.js';
import type { RecallSpec } from './recall.js';
import { DEFAULT_RECALL, checkRecall, recallSequence, recallVocab } from './recall.js';
import { createRng } from '../../core/rng.js';
import { getBlock } from './registry.js';
import { zeroBlock } from './blocks/zero.js';

/** The ablation every study runs: the LM with its mixer output replaced by zero (blocks/zero.ts). */
export const ZERO_FAMILY = zeroBlock.id;
import type { SeqTrainConfig } from './train.js';
import { checkpointFolder, checkpointName, studyCheckpoint } from './checkpoint.js';
import { trainLm } from './train.js';
import { defaultsOf } from '../plugin.js';
import { SEQUENCE_OPTIONS } from './options.js';

export interface StudyOptions {
  readonly families: readonly string[];
  readonly tasks: readonly ('text' | 'recall')[];
  readonly d: number;
  readonly heads: number;
  readonly layers: number;
  readonly mlpWidth: number;
  /** Text training: steps, batch, window. */
  readonly textSteps: number;
  readonly recallSteps: number;
  readonly batch: number;
  readonly context: number;
  readonly learningRate: number;
  readonly recall: RecallSpec;
  readonly recallTrainLengths: readonly number[];
  readonly recallEvalLengths: readonly number[];
  readonly recallSequences: number;
  /** Held-out windows of `context` characters scored for bits per character. */
  readonly evalWindows: number;
  /** Context lengths L at which the decode step is priced. */
  readonly energyLengths: readonly number[];
  readonly profiles: readonly string[];
  /** Quality floor (study/sequence-quality.ts): bits/char at least this far below the zero mixer's … */
  readonly bpcMargin: number;
  /** … and recall at least this far above the zero mixer's at each L. */
  readonly recallMargin: number;
  readonly seed: number;
  /** Trained checkpoints to price instead of training: 'shipped', 'none' or a folder (checkpoint.ts). */
  readonly checkpoints: string;
}

/** The study's defaults: those its options declare (options.ts), every family, the default recall task and profiles. */
export const DEFAULT_STUDY: StudyOptions = (() => {
  const { families, task, ...rest } = defaultsOf(SEQUENCE_OPTIONS);
  return {
    ...rest,
    families,
    tasks: task === 'both' ? ['text', 'recall'] : [task],
    recall: DEFAULT_RECALL,
    profiles: ['ops-only-45nm', 'ann-ideal-reuse-45nm', 'eyeriss-rs-65nm', 'neuromorphic-core-45nm'],
  };
})();
/** The checkpoint a model was loaded from (null: trained by the run). */
export interface CheckpointUse {
  readonly name: string;
  readonly sha256: string;
  readonly stepsTrained: number;
  readonly stop: 'steps' | 'plateau' | 'cap';
  readonly rule: string;
}

interface TrainedModel {
  readonly weights: Record<string, Float32Array>;
  readonly lossCurve: readonly number[];
  readonly checkpoint: CheckpointUse | null;
  readonly validationCurve: readonly { readonly step: number; readonly accuracy: number; readonly queries: number }[] | null;
}

/** The model of family × task: from a checkpoint (`--checkpoints`) whose model and recipe are the run's, else trained (cached). */
async function modelFor(o: StudyOptions, cfg: LmConfig, t: SeqTrainConfig, log: (line: string) => void): Promise<TrainedModel> {
  const base = cfg.block.trainsAs;
  if (base !== undefined) {
    // trained as another family (the same parameters and training): that family's model, checkpoint or cache
    log(`${cfg.block.id}: trained as ${base} (the same parameters and training; its options act when decoding): ${base}'s model`);
    return modelFor(o, lmConfigFor(getBlock(base), o, cfg.vocab), t, log);
  }
  const ck = studyCheckpoint(o.checkpoints, cfg, t, log);
  if (ck === null) return { ...(await trainLm(cfg, t, log)), checkpoint: null, validationCurve: null };
  const m = ck.manifest;
  return {
    weights: ck.weights,
    lossCurve: m.lossCurve.map((p) => p.loss),
    checkpoint: { name: checkpointName(m.family, m.task), sha256: m.weights.sha256, stepsTrained: m.stepsTrained, stop: m.stop.reason, rule: m.stop.rule },
    validationCurve: m.recallCurve && m.recallCurve.map((p) => ({ step: p.step, accuracy: p.accuracy, queries: p.queries })),
  };
}

/** The decode step's ledger at context length L (priced by the study layer, study/sequence.ts). */
export interface LedgerAtLength {
  readonly L: number;
  readonly ledger: Ledger;
}

/** One block family's quality and decode-step ledgers, before pricing. */
export interface FamilyRun {
  readonly family: string;
  readonly title: string;
  readonly kind: 'ann' | 'snn';
  readonly source: string;
  readonly blockConfig: BlockConfig;
  readonly parameters: number;
  readonly text: { readonly bitsPerChar: number; readonly characters: number; readonly lossCurve: readonly number[]; readonly ledger: Ledger; readonly checkpoint: CheckpointUse | null } | null;
  readonly recall: {
    readonly lossCurve: readonly number[];
    readonly byLength: readonly { readonly L: number; readonly accuracy: number; readonly queries: number }[];
    readonly checkpoint: CheckpointUse | null;
    /** Validation recall during the checkpoint's training (null when trained by this run). */
    readonly validationCurve: readonly { readonly step: number; readonly accuracy: number; readonly queries: number }[] | null;
  } | null;
  readonly energy: readonly LedgerAtLength[];
}

export function lmConfigFor(block: SequenceBlock, o: StudyOptions, vocab: number): LmConfig {
  const base = block.defaults(o.d);
  // --heads overrides the family's default; grouped-query families keep their query heads per KV head
  const group = base.heads / base.kvHeads;
  const blockConfig: BlockConfig = { ...base, d: o.d, heads: o.heads, kvHeads: Math.max(1, Math.floor(o.heads / group)), headDim: o.d / o.heads };
  block.validate(blockConfig);
  return { block, blockConfig, layers: o.layers, vocab, mlpWidth: o.mlpWidth };
}

/** The training configuration of one task under the study's options (shared with sweeps, so their caches coincide). */
export function trainConfigFor(o: StudyOptions, task: 'text' | 'recall'): SeqTrainConfig {
  const steps = task === 'text' ? o.textSteps : o.recallSteps;
  return {
    task,
    steps,
    batch: o.batch,
    context: o.context,
    recallLengths: o.recallTrainLengths,
    recall: o.recall,
    learningRate: o.learningRate,
    warmup: Math.min(50, Math.floor(steps / 10)),
    clipNorm: 1,
    seed: o.seed,
  };
}

export function checkStudy(o: StudyOptions): void {
  const pos = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`${name} must be a positive integer, got ${v}`);
  };
  for (const [k, v] of Object.entries({ d: o.d, heads: o.heads, layers: o.layers, 'mlp-width': o.mlpWidth, batch: o.batch, context: o.context, 'eval-windows': o.evalWindows, 'recall-sequences': o.recallSequences })) pos(`--${k}`, v);
  for (const L of o.energyLengths) pos('--lengths', L);
  if (o.d % o.heads !== 0) throw new InputError(`--heads (${o.heads}) must divide --d (${o.d})`);
  for (const L of [...o.recallTrainLengths, ...o.recallEvalLengths]) checkRecall(o.recall, L);
  for (const f of o.families) getBlock(f);
  checkpointFolder(o.checkpoints); // a --checkpoints folder that does not exist fails before any training
}

export async function runStudy(o: StudyOptions, log: (line: string) => void): Promise<FamilyRun[]> {
  checkStudy(o);
  const test = brownTokens('test');
  const results: FamilyRun[] = [];
  // the zero-mixer ablation sets the quality floor (study/sequence-quality.ts): it runs whether listed or not
  for (const family of o.families.includes(ZERO_FAMILY) ? o.families : [...o.families, ZERO_FAMILY]) {
    const block = getBlock(family);
    const textCfg = lmConfigFor(block, o, VOCAB_SIZE);
    const train = (task: 'text' | 'recall') => trainConfigFor(o, task);
    const params = { family, d: o.d, heads: textCfg.blockConfig.heads, kvHeads: textCfg.blockConfig.kvHeads, layers: o.layers };
    let text: FamilyRun['text'] = null;
    let energyWeights: Record<string, Float32Array> | null = null;
    if (o.tasks.includes('text')) {
      log(`${family}: text model`);
      const trained = await modelFor(o, textCfg, train('text'), log);
      const ev = evaluateText(textCfg, trained.weights, test, o.context, o.evalWindows);
      text = { bitsPerChar: ev.bitsPerChar, characters: ev.characters, lossCurve: trained.lossCurve, ledger: sequenceLedger(textCfg, ev.counts, { ...params, task: 'text', context: o.context }), checkpoint: trained.checkpoint };
      energyWeights = trained.weights;
      log(`${family}: ${ev.bitsPerChar.toFixed(3)} bits per character on ${ev.characters} held-out characters`);
    }
    let recall: FamilyRun['recall'] = null;
    let recallCfg: LmConfig | null = null;
    if (o.tasks.includes('recall')) {
      log(`${family}: recall model`);
      recallCfg = lmConfigFor(block, o, recallVocab(o.recall));
      const trained = await modelFor(o, recallCfg, train('recall'), log);
      const byLength = o.recallEvalLengths.map((L) => {
        const ev = evaluateRecall(recallCfg!, trained.weights, o.recall, L, o.recallSequences, o.seed);
        return { L, accuracy: ev.accuracy, queries: ev.queries };
      });
      recall = { lossCurve: trained.lossCurve, byLength, checkpoint: trained.checkpoint, validationCurve: trained.validationCurve };
      log(`${family}: recall ${byLength.map((r) => `L=${r.L} ${(100 * r.accuracy).toFixed(1)}%`).join(', ')}`);
      if (!energyWeights) energyWeights = trained.weights;
    }
    // Energy per token vs L: the text model decoding held-out text (the recall model decoding a long
    // recall sequence when no text model was trained).
    const eCfg = text ? textCfg : recallCfg!;
    const tokens = text ? test : longRecallTokens(o, Math.max(...o.energyLengths) + 1);
    const at: Map<number, CountsOverSteps> = countsAtLengths(eCfg, energyWeights!, tokens, o.energyLengths);
    const energy = o.energyLengths.map((L) => {
      const ledger = sequenceLedger(eCfg, at.get(L)!, { ...params, task: text ? 'text' : 'recall', contextLength: L });
      return { L, ledger };
    });
    const parameters = lmParams(textCfg).reduce((a, s) => a + s.shape.reduce((p, q) => p * q, 1), 0);
    results.push({ family, title: block.title, kind: block.family, source: block.source, blockConfig: textCfg.blockConfig, parameters, text, recall, energy });
  }
  return results;
}

/** One recall sequence of n tokens (its gap stretched to n), for the energy lengths. */
function longRecallTokens(o: StudyOptions, n: number): Int32Array {
  return recallSequence(o.recall, n - 1, createRng(o.seed, 4)).tokens;
}
