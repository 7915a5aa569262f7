// Where a trained attention looks when it answers a recall query (not a test; issue 18: why
// stick-breaking attention's recall plateaus at about 22% where softmax attention's reaches 55%).
//
// Loads a family's shipped recall checkpoint and decodes the study's test sequences (evaluateRecall's
// stream, createRng(seed, 3, L), so the accuracy printed is the study's test recall at L). Each
// layer's mixer input is captured by wrapping the family's decoder; at each scored query (a key whose
// pair opened the sequence: key at 2p, value at 2p + 1) the attention weights of every head are
// recomputed from that input and the layer's W_q, W_k (their definitions, as in the block's header):
//   softmax:        A_tj = softmax_j(q_t·k_j/√dh) over j ≤ t
//   stick-breaking: A_tj = σ(z_tj)·Π_{j<k<t}(1 − σ(z_tk)) over j < t, the rest r_t = Π_{j<t}(1 − σ(z_tj)) on t
// (unhalted). Printed per layer, as the mean over queries of the head that puts most on it: the
// weight on the value to return, on its key, on the other pairs' 6 tokens, on the 8 tokens before the
// query, and on the query itself (its own token; for stick-breaking the unbroken rest of the stick).
// The decoder is the block's own, so the answers are the study's; the recomputed weights are checked
// against it (Σ_j A_tj v_j through W_o must give the block's output at t, to 10⁻³ of its size). Usage:
//   node dist/bench/seq-recall-attention.js softmax|gqa|stick-breaking [L …=32 64 128 256] [sequences=40]
import { createRng } from '../core/rng.js';
import type { BlockConfig, BlockDecoder, BlockWeights, SequenceBlock } from '../workloads/sequence/block.js';
import { attnDims, projectOut, projectQkv } from '../workloads/sequence/blocks/block-sparse.js';
import { readCheckpoint, SHIPPED_CHECKPOINTS } from '../workloads/sequence/checkpoint.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { lmDecoder } from '../workloads/sequence/lm.js';
import { DEFAULT_RECALL, recallSequence, recallVocab } from '../workloads/sequence/recall.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor } from '../workloads/sequence/study.js';

const [family = 'stick-breaking', ...rest] = process.argv.slice(2);
if (!['softmax', 'gqa', 'stick-breaking'].includes(family)) {
  console.error('usage: node dist/bench/seq-recall-attention.js softmax|gqa|stick-breaking [L …] [sequences]');
  process.exit(2);
}
const nums = rest.map(Number);
// With two numbers or more the last is the sequence count; a lone number is one L.
const sequences = nums.length > 1 ? nums[nums.length - 1] : 40;
const lengths = nums.length > 1 ? nums.slice(0, -1) : nums.length === 1 ? nums : DEFAULT_STUDY.recallEvalLengths;
if ([...lengths, sequences].some((n) => !Number.isInteger(n) || n <= 0)) {
  console.error(`lengths and the sequence count must be positive integers (got ${rest.join(' ')})`);
  process.exit(2);
}

/** One layer's captured state: its mixer weights and every input x_t seen so far. */
interface Tap {
  w: BlockWeights;
  cfg: BlockConfig;
  inputs: Float32Array[];
  outputs: Float32Array[];
}
let taps: Tap[] = [];
const inner = getBlock(family);
const tapped: SequenceBlock = {
  ...inner,
  decoder(w, cfg, counter): BlockDecoder {
    const tap: Tap = { w, cfg, inputs: [], outputs: [] };
    taps.push(tap);
    const d = inner.decoder(w, cfg, counter);
    const step = (x: Float32Array) => {
      tap.inputs.push(Float32Array.from(x));
      const y = d.step(x);
      tap.outputs.push(Float32Array.from(y));
      return y;
    };
    return { step, activity: () => d.activity(), stores: () => d.stores() };
  },
};
const base = lmConfigFor(inner, DEFAULT_STUDY, recallVocab(DEFAULT_RECALL));
const ck = readCheckpoint(SHIPPED_CHECKPOINTS, base, 'recall');
if (ck === null) {
  console.error(`no shipped recall checkpoint for ${family}`);
  process.exit(2);
}
const cfg = { ...base, block: tapped };
console.log(`${family}: checkpoint ${family}-recall (${ck.manifest.stepsTrained} steps, stopped: ${ck.manifest.stop.reason}); ${sequences} test sequences per L`);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** Attention weights of every query head at position t over positions 0…t (index t: the query's own token). */
function headWeights(tap: Tap, t: number): Float64Array[] {
  const { H, g, dh } = attnDims(tap.cfg);
  const scratch = new StepCounter();
  const proj = tap.inputs.slice(0, t + 1).map((x) => projectQkv(scratch, tap.w, x, tap.cfg));
  const all = Array.from({ length: H }, (_, h) => weights(proj, tap.cfg, t, h));
  // Check the recomputation against the decoder: Σ_j A_tj v_j per head, through W_o, is the block's output.
  const o = new Float32Array(H * dh);
  all.forEach((a, h) => a.forEach((x, j) => { for (let i = 0; i < dh; i++) o[h * dh + i] += x * proj[j].v[Math.floor(h / g) * dh + i]; }));
  const y = projectOut(scratch, tap.w, o, tap.cfg);
  const err = Math.max(...y.map((v, i) => Math.abs(v - tap.outputs[t][i])));
  const size = Math.max(1e-3, ...tap.outputs[t].map(Math.abs));
  if (err > 1e-3 * size) throw new Error(`recomputed weights do not reproduce the decoder's output at position ${t} (max difference ${err}, output size ${size})`);
  return all;
}

function weights(proj: readonly { q: Float32Array; k: Float32Array }[], cfg: BlockConfig, t: number, h: number): Float64Array {
  const { g, dh, scale } = attnDims(cfg);
  const kvh = Math.floor(h / g);
  const z = new Float64Array(t + 1);
  for (let j = 0; j <= t; j++) {
    let s = 0;
    for (let i = 0; i < dh; i++) s += proj[t].q[h * dh + i] * proj[j].k[kvh * dh + i];
    z[j] = s * scale;
  }
  const a = new Float64Array(t + 1);
  if (family === 'stick-breaking') {
    let rest = 1;
    for (let j = t - 1; j >= 0; j--) {
      const b = sigmoid(z[j]);
      a[j] = b * rest;
      rest *= 1 - b;
    }
    a[t] = rest;
  } else {
    const m = Math.max(...z);
    let sum = 0;
    for (let j = 0; j <= t; j++) sum += a[j] = Math.exp(z[j] - m);
    for (let j = 0; j <= t; j++) a[j] /= sum;
  }
  return a;
}

const parts = ['value', 'its key', 'other pairs', 'last 8', 'own'] as const;
for (const L of lengths) {
  const rng = createRng(DEFAULT_STUDY.seed, 3, L);
  const layers = cfg.layers;
  const sums = Array.from({ length: layers }, () => new Float64Array(parts.length));
  let queries = 0;
  let right = 0;
  for (let i = 0; i < sequences; i++) {
    const seq = recallSequence(DEFAULT_RECALL, L, rng);
    taps = [];
    const dec = lmDecoder(cfg, ck.weights);
    for (let t = 0; t < L; t++) {
      const s = dec.step(seq.tokens[t]);
      if (!seq.scored[t]) continue;
      queries++;
      let best = 0;
      for (let v = 1; v < s.probs.length; v++) if (s.probs[v] > s.probs[best]) best = v;
      if (best === seq.tokens[t + 1]) right++;
      let p = 0;
      while (seq.tokens[2 * p] !== seq.tokens[t]) p++;
      for (let l = 0; l < layers; l++) {
        const most = new Float64Array(parts.length);
        for (const a of headWeights(taps[l], t)) {
          let pairs = 0;
          for (let j = 0; j < 2 * DEFAULT_RECALL.pairs; j++) if (j !== 2 * p && j !== 2 * p + 1) pairs += a[j];
          let recent = 0;
          for (let j = Math.max(0, t - 8); j < t; j++) recent += a[j];
          const got = [a[2 * p + 1], a[2 * p], pairs, recent, a[t]];
          got.forEach((x, k) => (most[k] = Math.max(most[k], x)));
        }
        most.forEach((x, k) => (sums[l][k] += x));
      }
    }
  }
  const layerText = sums.map((s, l) => `layer ${l}: ` + parts.map((name, k) => `${name} ${(s[k] / queries).toFixed(3)}`).join(', ')).join('; ');
  console.log(`L=${L}: ${queries} queries, ${((100 * right) / queries).toFixed(1)}% right; most-attending head's weight on — ${layerText}`);
}
