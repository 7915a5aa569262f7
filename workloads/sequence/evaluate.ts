// Running a trained sequence LM with its counted decoder: quality (bits per character on held-out
// text, recall accuracy at a context length), the ledger per token, and the decode step's ledger at
// chosen context lengths L (measured at those positions of one long sequence, not extrapolated).
import type { RecordedKind } from '../../core/geometry.js';
import { recordedGeometry } from '../../core/geometry.js';
import type { LayerRules, Ledger, OperandStore } from '../../core/ledger.js';
import { buildLedger, newActivityRecorder, storesFootprint } from '../../core/ledger.js';
import { createRng } from '../../core/rng.js';
import type { BlockWeights, StepActivity } from './block.js';
import type { StepCounts } from './counter.js';
import { addCounts } from './counter.js';
import type { LmConfig, LmPart } from './lm.js';
import { lmDecoder, lmParts } from './lm.js';
import type { RecallSpec } from './recall.js';
import { recallSequence } from './recall.js';

/** Per part: the summed counts of the steps it covers, and the number of steps. */
export interface CountsOverSteps {
  readonly steps: number;
  readonly parts: ReadonlyMap<LmPart, StepCounts>;
  /** Stores after the last step covered. */
  readonly stores: ReadonlyMap<LmPart, OperandStore[]>;
  /** Mean activity of the mixers over the steps. */
  readonly activity: ReadonlyMap<LmPart, StepActivity>;
}

class Accumulator {
  steps = 0;
  private readonly sums = new Map<LmPart, StepCounts>();
  private readonly act = new Map<LmPart, Map<string, number>>();
  stores: ReadonlyMap<LmPart, OperandStore[]> = new Map();
  add(counts: ReadonlyMap<LmPart, StepCounts>, activity: ReadonlyMap<LmPart, StepActivity>): void {
    this.steps++;
    for (const [p, c] of counts) this.sums.set(p, this.sums.has(p) ? addCounts(this.sums.get(p)!, c) : c);
    for (const [p, a] of activity) {
      const m = this.act.get(p) ?? new Map<string, number>();
      for (const [k, v] of Object.entries(a)) m.set(k, (m.get(k) ?? 0) + v);
      this.act.set(p, m);
    }
  }
  result(): CountsOverSteps {
    const activity = new Map<LmPart, StepActivity>();
    for (const [p, m] of this.act) activity.set(p, Object.fromEntries([...m].map(([k, v]) => [k, v / this.steps])));
    return { steps: this.steps, parts: this.sums, stores: this.stores, activity };
  }
}

export interface TextEvaluation {
  readonly bitsPerChar: number;
  readonly characters: number;
  /** Counts over every scored step (each window decoded from an empty cache). */
  readonly counts: CountsOverSteps;
}

/** Bits per character over `windows` consecutive windows of `context` characters from `tokens`. */
export function evaluateText(cfg: LmConfig, w: BlockWeights, tokens: Uint8Array, context: number, windows: number): TextEvaluation {
  if (tokens.length < windows * context + 1) throw new Error(`evaluateText: ${windows} windows of ${context} need ${windows * context + 1} characters, the text has ${tokens.length}`);
  const acc = new Accumulator();
  let bits = 0;
  for (let win = 0; win < windows; win++) {
    const dec = lmDecoder(cfg, w);
    const base = win * context;
    for (let t = 0; t < context; t++) {
      const s = dec.step(tokens[base + t]);
      bits -= Math.log2(Math.max(s.probs[tokens[base + t + 1]], 1e-30));
      acc.add(s.counts, s.activity);
    }
    acc.stores = dec.stores();
  }
  return { bitsPerChar: bits / (windows * context), characters: windows * context, counts: acc.result() };
}

export interface RecallEvaluation {
  readonly length: number;
  readonly accuracy: number;
  readonly queries: number;
  readonly counts: CountsOverSteps;
}

/** Recall accuracy over `sequences` fresh sequences of `length` tokens (seeded). */
export function evaluateRecall(cfg: LmConfig, w: BlockWeights, spec: RecallSpec, length: number, sequences: number, seed: number): RecallEvaluation {
  const rng = createRng(seed, 3, length);
  const acc = new Accumulator();
  let right = 0;
  let asked = 0;
  for (let i = 0; i < sequences; i++) {
    const seq = recallSequence(spec, length, rng);
    const dec = lmDecoder(cfg, w);
    for (let t = 0; t < length; t++) {
      const s = dec.step(seq.tokens[t]);
      acc.add(s.counts, s.activity);
      if (!seq.scored[t]) continue;
      asked++;
      let best = 0;
      for (let v = 1; v < s.probs.length; v++) if (s.probs[v] > s.probs[best]) best = v;
      if (best === seq.tokens[t + 1]) right++;
    }
    acc.stores = dec.stores();
  }
  return { length, accuracy: right / asked, queries: asked, counts: acc.result() };
}

/**
 * The decode step's counts at each context length L in `lengths`: one sequence of max(L)+1 tokens
 * is decoded, and the steps at positions L−window+1 … L (L tokens already in context) are averaged.
 */
export function countsAtLengths(cfg: LmConfig, w: BlockWeights, tokens: ArrayLike<number>, lengths: readonly number[], window = 8): Map<number, CountsOverSteps> {
  const maxL = Math.max(...lengths);
  if (tokens.length < maxL + 1) throw new Error(`countsAtLengths: context ${maxL} needs ${maxL + 1} tokens, got ${tokens.length}`);
  const accs = new Map<number, Accumulator>(lengths.map((L) => [L, new Accumulator()]));
  const dec = lmDecoder(cfg, w);
  for (let p = 0; p <= maxL; p++) {
    const s = dec.step(tokens[p]);
    for (const L of lengths) {
      if (p > L || p <= L - window) continue;
      const a = accs.get(L)!;
      a.add(s.counts, s.activity);
      if (p === L) a.stores = dec.stores();
    }
  }
  return new Map([...accs].map(([L, a]) => [L, a.result()]));
}

const PART_KIND = (cfg: LmConfig, part: LmPart): RecordedKind => (part === 'embedding' ? 'embedding' : part === 'head' ? 'lm-head' : part.endsWith('.mixer') ? `mixer-${cfg.block.id}` : 'token-mlp');

/** A decode step reads its whole input vector and writes its whole output: its rates are declared, not measured. */
const WHOLE_VECTORS: NonNullable<LayerRules['rates']> = { inputSparsity: () => 0, outputRate: () => 1 };

/**
 * A Ledger of mean counts per token (one ledger layer per model part, each one sample: the mean step).
 * Every layer is a "recorded" layer (ARCHITECTURE.md): its memory entries are priced as recorded, each
 * operand in a memory sized by the layer's stores.
 */
export function sequenceLedger(cfg: LmConfig, c: CountsOverSteps, params: Readonly<Record<string, string | number | boolean>>): Ledger {
  const { d } = cfg.blockConfig;
  const n = c.steps;
  const layers = lmParts(cfg).map((part) => {
    const counts = c.parts.get(part) ?? { compute: [], memory: [] };
    const stores = c.stores.get(part) ?? [];
    const weightWords = stores.filter((s) => s.operand === 'weight').reduce((a, s) => a + s.words, 0);
    const synOps = counts.compute.filter((e) => e.op === 'mac' || e.op === 'ac').reduce((a, e) => a + e.count / n, 0);
    const inputs = part === 'embedding' ? 1 : d;
    const outputs = part === 'head' ? cfg.vocab : d;
    const membrane = counts.memory.filter((e) => e.operand === 'potential' && e.action === 'write').reduce((a, e) => a + e.count / n, 0);
    const rec = newActivityRecorder(1, 1);
    rec.inputEvents[0] = rec.inputPerStep[0] = inputs;
    rec.outputEvents[0] = rec.outputPerStep[0] = outputs;
    rec.synOps[0] = synOps;
    rec.updates[0] = membrane;
    const rules: LayerRules = {
      compute: counts.compute.map((e) => ({ op: e.op, numeric: e.numeric, bits: e.bits, purpose: e.purpose, count: () => e.count / n })),
      memory: counts.memory.map((e) => ({ operand: e.operand, action: e.action, bits: e.bits, count: () => e.count / n })),
      footprint: storesFootprint(stores),
      neuron: cfg.block.family === 'snn' && part.endsWith('.mixer') ? 'lif' : null,
      rates: WHOLE_VECTORS,
    };
    const geometry = recordedGeometry(PART_KIND(cfg, part), part === 'embedding' ? cfg.vocab : d, outputs, { weightCount: weightWords, denseSynOps: Math.max(synOps, 1) });
    return { name: part, geometry, rec, rules, stores };
  });
  return buildLedger({ id: `seq-${cfg.block.id}`, family: cfg.block.family, timesteps: cfg.blockConfig.options.timesteps ?? 1, params }, n, layers);
}
