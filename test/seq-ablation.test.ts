// The spiking attention blocks against their own zero-mixer ablation (issue 18): Spikformer SSA and SDSA,
// trained briefly but for real (tfjs on wasm, one thread, seeded: the same weights every run), must
// predict held-out Brown text better than the same LM with its mixer output replaced by zero
// (workloads/sequence/blocks/zero.ts), by the margins the README states for this scale. The models are
// small (d = 32, 1 layer, windows of 32 characters, 400 steps of batch 8) so that the three trainings fit
// in about a minute on one core; bits per character are measured with the counted decoders
// (evaluate.ts), the forms the study prices, on 60 held-out windows. (Recall is not asserted at this
// scale — neither the blocks nor the zero mixer learn it, see the README — but below, on the shipped
// checkpoints.)
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOCAB_SIZE, brownTokens } from '../workloads/text/brown-corpus.js';
import { SHIPPED_CHECKPOINTS, readCheckpoint } from '../workloads/sequence/checkpoint.js';
import { DEFAULT_PLAN, trainingFor } from '../workloads/sequence/checkpoint-training.js';
import { evaluateRecall, evaluateText } from '../workloads/sequence/evaluate.js';
import { getBlock } from '../workloads/sequence/registry.js';
import type { StudyOptions } from '../workloads/sequence/study.js';
import { DEFAULT_STUDY, ZERO_FAMILY, lmConfigFor, trainConfigFor } from '../workloads/sequence/study.js';
import type { SeqTask } from '../workloads/sequence/train.js';
import { trainLm } from '../workloads/sequence/train.js';
import { tempDir } from './cli-helpers.js';

/** The margins (bits/char below the zero mixer's) the README states for this scale. */
const MARGIN: Readonly<Record<string, number>> = { spikformer: 0.05, sdsa: 0.1 };

const SMALL: StudyOptions = { ...DEFAULT_STUDY, d: 32, heads: 4, layers: 1, mlpWidth: 64, textSteps: 400, batch: 8, context: 32, evalWindows: 60 };

let cacheBefore: string | undefined;
beforeAll(() => {
  cacheBefore = process.env.JOULEBENCH_CACHE;
  process.env.JOULEBENCH_CACHE = tempDir('seq-ablation');
});
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.JOULEBENCH_CACHE;
  else process.env.JOULEBENCH_CACHE = cacheBefore;
});

/** Held-out bits per character of `family` trained at SMALL. */
async function bitsPerChar(family: string): Promise<number> {
  const cfg = lmConfigFor(getBlock(family), SMALL, VOCAB_SIZE);
  const trained = await trainLm(cfg, trainConfigFor(SMALL, 'text'));
  return evaluateText(cfg, trained.weights, brownTokens('test'), SMALL.context, SMALL.evalWindows).bitsPerChar;
}

describe('spiking attention against the zero-mixer ablation (d = 32, 1 layer, 400 text steps)', () => {
  let zero = 0;
  beforeAll(async () => {
    zero = await bitsPerChar('zero');
  });

  it.each(['spikformer', 'sdsa'])('%s predicts text better than the zero mixer by its stated margin', async (family) => {
    const bpc = await bitsPerChar(family);
    console.log(`${family}: ${bpc.toFixed(3)} bits/char, zero mixer ${zero.toFixed(3)}: margin ${(zero - bpc).toFixed(3)}`);
    expect(zero - bpc, `${family} ${bpc.toFixed(3)} bits/char, zero ${zero.toFixed(3)}`).toBeGreaterThanOrEqual(MARGIN[family]);
  });
});

// The same comparison at trained quality: the shipped checkpoints (the study's model, d = 64, 2 layers,
// 3,000 text steps; recall trained to its plateau) scored as `joulebench seq` scores them — bits per
// character on the study's held-out windows, recall on its test sequences at each L — against the
// shipped zero-mixer checkpoint of the same task. The margins are the study's default quality floor:
// 0.05 bits/char, and 5 points of recall at every L up to the blocks' longest memory horizon (their
// decays λ_h = 1 − 0.5·4^(−h) reach back 2, 8, 32 and 128 tokens; recall trains at L = 24 … 64). At
// L = 256 — four times the longest training length, the pairs some 250 tokens before the queries — the
// README reports that they fall back towards the zero mixer, and why; it is printed, not asserted.
const LONGEST_HORIZON = 128;
describe('spiking attention at trained quality (the shipped checkpoints) against the trained zero mixer', () => {
  const load = (family: string, task: SeqTask) => {
    const cfg = trainingFor(DEFAULT_STUDY, task, DEFAULT_PLAN).cfg(family);
    return { cfg, weights: readCheckpoint(SHIPPED_CHECKPOINTS, cfg, task)!.weights };
  };
  const memo = new Map<string, number | number[]>();
  const once = <T extends number | number[]>(key: string, f: () => T): T => (memo.get(key) as T | undefined) ?? (memo.set(key, f()).get(key) as T);
  const textBpc = (family: string) =>
    once(`${family} text`, () => {
      const { cfg, weights } = load(family, 'text');
      return evaluateText(cfg, weights, brownTokens('test'), DEFAULT_STUDY.context, DEFAULT_STUDY.evalWindows).bitsPerChar;
    });
  const recallAt = (family: string) =>
    once(`${family} recall`, () => {
      const { cfg, weights } = load(family, 'recall');
      return DEFAULT_STUDY.recallEvalLengths.map((L) => evaluateRecall(cfg, weights, DEFAULT_STUDY.recall, L, DEFAULT_STUDY.recallSequences, DEFAULT_STUDY.seed).accuracy);
    });

  for (const family of ['spikformer', 'sdsa']) {
    it(`${family} (text checkpoint) predicts held-out text at least 0.05 bits/char better than the zero mixer`, () => {
      const bpc = textBpc(family);
      const zero = textBpc(ZERO_FAMILY);
      console.log(`trained ${family}: ${bpc.toFixed(3)} bits/char, zero mixer ${zero.toFixed(3)}: margin ${(zero - bpc).toFixed(3)}`);
      expect(zero - bpc, `${family} ${bpc.toFixed(3)}, zero ${zero.toFixed(3)}`).toBeGreaterThanOrEqual(DEFAULT_STUDY.bpcMargin);
    }, 300_000);

    it(`${family} (recall checkpoint) answers at least 5 points more queries than the zero mixer at every L up to ${LONGEST_HORIZON}`, () => {
      const acc = recallAt(family);
      const zero = recallAt(ZERO_FAMILY);
      const lines = DEFAULT_STUDY.recallEvalLengths.map((L, i) => `L=${L} ${(100 * acc[i]).toFixed(1)}% vs ${(100 * zero[i]).toFixed(1)}%`);
      console.log(`trained ${family} recall: ${lines.join(', ')}`);
      const within = DEFAULT_STUDY.recallEvalLengths.flatMap((L, i) => (L <= LONGEST_HORIZON ? [i] : []));
      expect(within.length).toBeGreaterThan(0);
      for (const i of within) expect(acc[i] - zero[i], lines[i]).toBeGreaterThanOrEqual(DEFAULT_STUDY.recallMargin);
    }, 300_000);
  }
});
