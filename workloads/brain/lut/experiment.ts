// The LUT network as a workload (issue 8): trained on the Brown corpus (character level, 96 symbols)
// and evaluated on held-out text in bits per character, with a learning ledger per training token,
// an inference ledger per evaluated token and the generation cost of main.c (the whole window
// recomputed per generated character).
//
// Training: `trainSteps` windows of C + 1 characters at seeded random offsets of the train split,
// one main.c training step each (all C positions predict their next character).
// Evaluation (quality = bits per character): the first `testTokens` characters of the held-out split
// in consecutive blocks of C, every position predicting the next character from the preceding
// characters of its block (0 … C−1 of context) — the incremental use of the V-index cache, whose
// per-token ledger is the inference phase. Also reported: bpc at full context (the last position of a
// C-character window, main.c's validation loss) on `fullContextTokens` windows spread evenly over the
// split, and unigram / bigram baselines (add-one counts of the train split) on the block-evaluated
// characters.
import { InputError } from '../../../core/errors.js';
import { createRng } from '../../../core/rng.js';
import type { TextSplit } from '../../text/brown-corpus.js';
import { brownTokens } from '../../text/brown-corpus.js';
import type { BrainPhase } from '../phase.js';
import { ActivityLog } from '../phase.js';
import type { LedgerTraffic, LutTableUse } from './ledger.js';
import { inferenceActivity, learningActivity, ledgerTraffic, logInferenceToken, lutBackend, lutPhaseLedger, lutShapes, networkFootprint, networkTableUse } from './ledger.js';
import type { LutConfig } from './network.js';
import { LutNetwork } from './network.js';

export interface LutExperimentOptions {
  readonly config: LutConfig;
  readonly trainSteps: number;
  readonly testTokens: number;
  readonly fullContextTokens: number;
  readonly seed: number;
  /** Held-out split (default 'test'; the configuration was chosen on 'validation'). */
  readonly split?: Exclude<TextSplit, 'train'>;
  /** Token streams, if not the Brown corpus (tests). */
  readonly tokens?: { readonly train: Uint8Array; readonly heldOut: Uint8Array };
  readonly progress?: (done: number, total: number, trainBpc: number) => void;
}

export interface LutQuality {
  readonly bpc: number;
  readonly evaluatedTokens: number;
  readonly fullContextBpc: number;
  readonly fullContextTokens: number;
  readonly unigramBpc: number;
  readonly bigramBpc: number;
  /** Mean training loss (bits per character) over each tenth of training, in order. */
  readonly trainCurve: readonly number[];
  readonly trainSteps: number;
  readonly trainTokens: number;
  readonly split: string;
}

export interface LutDerived {
  readonly footprint: ReturnType<typeof networkFootprint>;
  /** Per-sample table traffic of each phase, in words and rows. */
  readonly traffic: { readonly learning: LedgerTraffic; readonly inference: LedgerTraffic; readonly generation: LedgerTraffic };
  readonly tableUse: readonly LutTableUse[];
}

export interface LutExperiment {
  readonly quality: LutQuality;
  readonly derived: LutDerived;
  readonly learning: BrainPhase;
  readonly inference: BrainPhase;
  readonly generation: BrainPhase;
  readonly network: LutNetwork;
  /** Wall-clock seconds (not part of any deterministic output). */
  readonly seconds: { readonly train: number; readonly evaluate: number };
}

/** Cross-entropy (bits/char) of add-one unigram and bigram models of `train` on `targets[k]` after `prev[k]`. */
export function ngramBaselines(train: Uint8Array, vocab: number, prev: ArrayLike<number>, targets: ArrayLike<number>): { unigram: number; bigram: number } {
  const uni = new Float64Array(vocab).fill(1);
  const bi = new Float64Array(vocab * vocab).fill(1);
  for (let i = 0; i < train.length; i++) {
    uni[train[i]]++;
    if (i + 1 < train.length) bi[train[i] * vocab + train[i + 1]]++;
  }
  const uniTotal = uni.reduce((s, v) => s + v, 0);
  const biTotal = new Float64Array(vocab);
  for (let a = 0; a < vocab; a++) for (let b = 0; b < vocab; b++) biTotal[a] += bi[a * vocab + b];
  let u = 0;
  let g = 0;
  for (let k = 0; k < targets.length; k++) {
    u -= Math.log2(uni[targets[k]] / uniTotal);
    g -= Math.log2(bi[prev[k] * vocab + targets[k]] / biTotal[prev[k]]);
  }
  return { unigram: u / targets.length, bigram: g / targets.length };
}

export function lutExperiment(o: LutExperimentOptions): LutExperiment {
  const cfg = o.config;
  const C = cfg.context;
  const split = o.split ?? 'test';
  const train = o.tokens?.train ?? brownTokens('train');
  const heldOut = o.tokens?.heldOut ?? brownTokens(split);
  if (!Number.isInteger(o.trainSteps) || o.trainSteps < 1) throw new InputError(`the LUT network needs at least 1 training step, got ${o.trainSteps}`);
  if (train.length < C + 2 || heldOut.length < C + 2) throw new InputError(`the text is shorter than the context of ${C} + 2 characters`);
  const testTokens = Math.min(o.testTokens, heldOut.length - 1);
  const fullTokens = Math.min(o.fullContextTokens, heldOut.length - C);
  if (testTokens < 1) throw new InputError(`the LUT network needs at least 1 held-out character, got ${o.testTokens}`);
  for (let i = 0; i < train.length; i++) if (train[i] >= cfg.vocab) throw new InputError(`token ${train[i]} outside the vocabulary of ${cfg.vocab}`);

  const net = new LutNetwork(cfg, o.seed);
  const shapes = lutShapes(cfg);
  // attention ledger layers come layer-major, head-minor: the k-th is slot l·heads + h of the PE flips
  let k = 0;
  const flipSlot = shapes.map((s) => (s.role === 'attention' ? k++ : -1));

  // training
  const t0 = performance.now();
  const offsets = createRng(o.seed, 0x7ea1);
  const learnLogs = shapes.map(() => new ActivityLog(o.trainSteps));
  const work = { peFlips: new Int32Array(Math.max(1, cfg.layers * cfg.heads)) };
  const curve: number[] = [];
  let chunk = 0;
  let chunkN = 0;
  const tenth = Math.max(1, Math.floor(o.trainSteps / 10));
  for (let s = 0; s < o.trainSteps; s++) {
    work.peFlips.fill(0);
    chunk += net.trainStep(train, offsets.int(train.length - C - 1), work);
    chunkN++;
    shapes.forEach((sh, i) => learnLogs[i].add(s, learningActivity(sh, flipSlot[i] < 0 ? 0 : work.peFlips[flipSlot[i]])));
    if (chunkN === tenth || s === o.trainSteps - 1) {
      curve.push(chunk / chunkN);
      o.progress?.(s + 1, o.trainSteps, chunk / chunkN);
      chunk = 0;
      chunkN = 0;
    }
  }
  const t1 = performance.now();

  // block evaluation with row-hit counters
  const hits = net.newHits();
  const inferLogs = shapes.map(() => new ActivityLog(testTokens));
  const prev = new Uint8Array(testTokens);
  const targets = new Uint8Array(testTokens);
  let bits = 0;
  let done = 0;
  for (let off = 0; done < testTokens; off += C) {
    const len = Math.min(C, testTokens - done, heldOut.length - 1 - off);
    net.forward(heldOut, off, len, hits);
    for (let pos = 0; pos < len; pos++) {
      bits -= net.log2Prob(pos, heldOut[off + pos + 1]);
      logInferenceToken(shapes, inferLogs, done, pos);
      prev[done] = heldOut[off + pos];
      targets[done] = heldOut[off + pos + 1];
      done++;
    }
  }
  // full context: the last position of windows spread over the split
  let fullBits = 0;
  for (let k = 0; k < fullTokens; k++) {
    const start = Math.floor((k * (heldOut.length - C - 1)) / Math.max(1, fullTokens));
    net.forward(heldOut, start, C);
    fullBits -= net.log2Prob(C - 1, heldOut[start + C]);
  }
  const t2 = performance.now();
  const base = ngramBaselines(train, cfg.vocab, prev, targets);

  // main.c's generation: every position of the window forwarded, one softmax
  const genLogs = shapes.map(() => new ActivityLog(1));
  shapes.forEach((s, i) => {
    if (s.role === 'softmax') genLogs[i].add(0, inferenceActivity(s, C - 1));
    else for (let pos = 0; pos < C; pos++) genLogs[i].add(0, inferenceActivity(s, pos));
  });

  const learning: BrainPhase = { phase: 'learning', per: 'training token', ledger: lutPhaseLedger(lutBackend(cfg, 'learning'), o.trainSteps, shapes, learnLogs, true, o.trainSteps * C) };
  const inference: BrainPhase = { phase: 'inference', per: 'evaluated token (V-index cache)', ledger: lutPhaseLedger(lutBackend(cfg, 'inference'), testTokens, shapes, inferLogs, false) };
  const generation: BrainPhase = { phase: 'generation', per: `generated char (main.c: ${C}-char window recomputed)`, ledger: lutPhaseLedger(lutBackend(cfg, 'generation'), 1, shapes, genLogs, false) };

  return {
    quality: {
      bpc: bits / testTokens,
      evaluatedTokens: testTokens,
      fullContextBpc: fullTokens > 0 ? fullBits / fullTokens : NaN,
      fullContextTokens: fullTokens,
      unigramBpc: base.unigram,
      bigramBpc: base.bigram,
      trainCurve: curve,
      trainSteps: o.trainSteps,
      trainTokens: o.trainSteps * C,
      split: o.tokens ? 'given' : split,
    },
    derived: {
      footprint: networkFootprint(net),
      traffic: { learning: ledgerTraffic(learning.ledger), inference: ledgerTraffic(inference.ledger), generation: ledgerTraffic(generation.ledger) },
      tableUse: networkTableUse(net, hits),
    },
    learning,
    inference,
    generation,
    network: net,
    seconds: { train: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000 },
  };
}
