// Counted float32 primitives the sequence blocks' decoders are built from. Each does the arithmetic
// and records its ops and memory accesses in a StepCounter (traffic convention: counter.ts).
import type { Operand } from '../../core/ledger.js';
import type { StepCounter } from './counter.js';

/**
 * y = x·W for a weight W of shape [inDim, outDim] (row-major, the tfjs layout of the trainer):
 * inDim·outDim MACs for `purpose`, the whole matrix read once, x read once, y written once.
 */
export function matVec(c: StepCounter, x: Float32Array, w: Float32Array, inDim: number, outDim: number, purpose: string, bias?: Float32Array): Float32Array {
  if (x.length !== inDim || w.length !== inDim * outDim) throw new Error(`matVec(${purpose}): x has ${x.length} values and W ${w.length}, expected ${inDim} and ${inDim}×${outDim}`);
  const y = new Float32Array(outDim);
  if (bias) y.set(bias);
  for (let i = 0; i < inDim; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * outDim;
    for (let j = 0; j < outDim; j++) y[j] += xi * w[row + j];
  }
  c.op('mac', purpose, inDim * outDim);
  c.read('weight', inDim * outDim);
  c.read('input', inDim);
  if (bias) {
    c.op('add', 'bias', outDim);
    c.read('bias', outDim);
  }
  c.write('output', outDim);
  return y;
}

/** Σ a[i]·b[i] over n values, as float32 accumulation; counts n MACs for `purpose` (no memory: callers count their operands). */
export function dot(c: StepCounter, a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number, purpose: string): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.fround(s + Math.fround(a[aOff + i] * b[bOff + i]));
  c.op('mac', purpose, n);
  return s;
}

/**
 * Numerically stable softmax of s[0..n) in place: n−1 compares (max), n subtracts, n EXP, n−1 adds
 * (the sum), 1 division (its reciprocal) and n multiplies. No memory: the scores live in registers or
 * the caller counts them.
 */
export function softmaxInPlace(c: StepCounter, s: Float32Array, n: number, purpose = 'softmax'): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (s[i] > max) max = s[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.fround(Math.exp(s[i] - max));
    s[i] = e;
    sum = Math.fround(sum + e);
  }
  const inv = Math.fround(1 / sum);
  for (let i = 0; i < n; i++) s[i] = Math.fround(s[i] * inv);
  c.op('cmp', purpose, n - 1);
  c.op('add', purpose, n + (n - 1));
  c.op('exp', purpose, n);
  c.op('div', purpose, 1);
  c.op('mul', purpose, n);
}

/** σ(x) = 1/(1+e^−x): 1 EXP, 1 add, 1 division. */
export function sigmoid(c: StepCounter, x: number, purpose: string): number {
  c.op('exp', purpose, 1);
  c.op('add', purpose, 1);
  c.op('div', purpose, 1);
  return Math.fround(1 / (1 + Math.exp(-x)));
}

/** log σ(x) = −softplus(−x), computed stably: 1 EXP, 1 LOG, 2 adds (and a compare for the branch). */
export function logSigmoid(c: StepCounter, x: number, purpose: string): number {
  c.op('exp', purpose, 1);
  c.op('log', purpose, 1);
  c.op('add', purpose, 2);
  c.op('cmp', purpose, 1);
  return Math.fround(x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
}

/** SiLU x·σ(x): a sigmoid and a multiply. */
export function silu(c: StepCounter, x: number, purpose: string): number {
  const s = sigmoid(c, x, purpose);
  c.op('mul', purpose, 1);
  return Math.fround(x * s);
}

/** softplus(x) = log(1 + e^x): 1 EXP, 1 LOG, 1 add. */
export function softplus(c: StepCounter, x: number, purpose: string): number {
  c.op('exp', purpose, 1);
  c.op('log', purpose, 1);
  c.op('add', purpose, 1);
  return Math.fround(x > 20 ? x : Math.log1p(Math.exp(x)));
}

/** Reads `words` of `operand` and returns nothing: for state and cache traffic that has no arithmetic of its own. */
export function touch(c: StepCounter, operand: Operand, action: 'read' | 'write', words: number, bits = 32): void {
  if (action === 'read') c.read(operand, words, bits);
  else c.write(operand, words, bits);
}

/**
 * y = s·W for a binary spike vector s (values 0/1) and W [inDim, outDim]: event-driven, per spike
 * one weight row read and outDim accumulates (ACs, `purpose`); the spike vector read once as 1-bit
 * words; y written once. Returns y and the number of spikes.
 */
export function spikeMatVec(c: StepCounter, s: Float32Array, w: Float32Array, inDim: number, outDim: number, purpose: string): { y: Float32Array; spikes: number } {
  if (s.length !== inDim || w.length !== inDim * outDim) throw new Error(`spikeMatVec(${purpose}): s has ${s.length} values and W ${w.length}, expected ${inDim} and ${inDim}×${outDim}`);
  const y = new Float32Array(outDim);
  let spikes = 0;
  for (let i = 0; i < inDim; i++) {
    if (s[i] === 0) continue;
    if (s[i] !== 1) throw new Error(`spikeMatVec(${purpose}): input ${i} is ${s[i]}, not a spike (0 or 1)`);
    spikes++;
    const row = i * outDim;
    for (let j = 0; j < outDim; j++) y[j] = Math.fround(y[j] + w[row + j]);
  }
  c.op('ac', purpose, spikes * outDim);
  c.read('weight', spikes * outDim);
  c.read('input', inDim, 1);
  c.write('output', outDim);
  return { y, spikes };
}
