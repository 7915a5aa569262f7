// Multi-query associative recall with a distractor gap (MQAR, Arora et al. 2023 "Zoology", with a
// passkey-style filler so that context length is the swept variable):
//
//   k₁ v₁ k₂ v₂ … k_P v_P   f f f … f   k_a v_a  k_b v_b … (Q queries)
//
// P distinct keys with random values, a gap of random filler tokens, then Q queries of keys seen in
// the prefix each followed by its value. The model is scored only where the input is a query key and
// the target its value; recall accuracy = fraction of those where the arg-max prediction is right.
// L = 2P + gap + 2Q tokens of input (the final value is the last target).
import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

export interface RecallSpec {
  readonly keys: number;
  readonly values: number;
  readonly fillers: number;
  readonly pairs: number;
  readonly queries: number;
}

export const DEFAULT_RECALL: RecallSpec = { keys: 16, values: 16, fillers: 8, pairs: 4, queries: 4 };

export const recallVocab = (s: RecallSpec): number => s.keys + s.values + s.fillers;

/** The shortest sequence (no gap). */
export const recallMinLength = (s: RecallSpec): number => 2 * s.pairs + 2 * s.queries;

export function checkRecall(s: RecallSpec, length: number): void {
  if (s.pairs > s.keys) throw new InputError(`recall: pairs (${s.pairs}) must not exceed keys (${s.keys}); keys are distinct within a sequence`);
  if (s.queries > s.pairs) throw new InputError(`recall: queries (${s.queries}) must not exceed pairs (${s.pairs})`);
  if (!Number.isInteger(length) || length < recallMinLength(s)) throw new InputError(`recall: length ${length} must be an integer ≥ 2·pairs + 2·queries = ${recallMinLength(s)}`);
}

export interface RecallSequence {
  /** length + 1 tokens: inputs are [0, length), targets [1, length]. */
  readonly tokens: Int32Array;
  /** 1 where target t (predicting tokens[t+1] from inputs ≤ t) is a scored answer, length `length`. */
  readonly scored: Uint8Array;
}

/** One sequence of `length` input tokens. */
export function recallSequence(s: RecallSpec, length: number, rng: Rng): RecallSequence {
  checkRecall(s, length);
  const toks = new Int32Array(length + 1);
  const scored = new Uint8Array(length);
  const keys = Array.from({ length: s.keys }, (_, i) => i);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  const vals = Array.from({ length: s.pairs }, () => s.keys + rng.int(s.values));
  let t = 0;
  for (let p = 0; p < s.pairs; p++) {
    toks[t++] = keys[p];
    toks[t++] = vals[p];
  }
  const gap = length + 1 - 2 * s.pairs - 2 * s.queries;
  for (let g = 0; g < gap; g++) toks[t++] = s.keys + s.values + rng.int(s.fillers);
  const order = Array.from({ length: s.pairs }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let q = 0; q < s.queries; q++) {
    const p = order[q];
    toks[t] = keys[p];
    scored[t] = 1; // input t is the query key; target t is tokens[t+1], its value
    toks[t + 1] = vals[p];
    t += 2;
  }
  return { tokens: toks, scored };
}
