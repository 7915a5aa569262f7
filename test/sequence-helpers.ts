// Shared checks for sequence blocks: the counted per-token decoder against the tfjs parallel form,
// and the counted ledger against the block's closed form.
import { createRng } from '../core/rng.js';
import type { BlockConfig, BlockWeights, SequenceBlock, StepActivity } from '../workloads/sequence/block.js';
import type { StepCounts } from '../workloads/sequence/counter.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { countTable } from '../core/ledger.js';
import { initParams } from '../workloads/sequence/params.js';
import { loadTf } from '../workloads/train/tf.js';
import type { Tf } from '../workloads/train/tf.js';
import type { Tensor, Tensor3D } from '@tensorflow/tfjs-core';

export function randomInputs(L: number, d: number, seed: number, scale = 1): Float32Array[] {
  const rng = createRng(seed, 7);
  return Array.from({ length: L }, () => Float32Array.from({ length: d }, () => (2 * rng.next() - 1) * scale));
}

/** Runs the decoder over xs; returns each step's output, counts, activity. */
export function decodeAll(block: SequenceBlock, cfg: BlockConfig, w: BlockWeights, xs: readonly Float32Array[]): { ys: Float32Array[]; counts: StepCounts[]; activity: StepActivity[] } {
  const counter = new StepCounter();
  const dec = block.decoder(w, cfg, counter);
  const ys: Float32Array[] = [];
  const counts: StepCounts[] = [];
  const activity: StepActivity[] = [];
  for (const x of xs) {
    ys.push(dec.step(x));
    counts.push(counter.take());
    activity.push(dec.activity());
  }
  return { ys, counts, activity };
}

/** The tfjs parallel form's outputs for xs (batch 1), on the pure-JS cpu backend (exact float32 reference). */
export async function parallelOutputs(block: SequenceBlock, cfg: BlockConfig, w: BlockWeights, xs: readonly Float32Array[]): Promise<Float32Array[]> {
  const tf = await loadTf('cpu');
  const L = xs.length;
  const tensors = blockTensors(tf, block, cfg, w);
  const y = block.trainForward(tf, tensors, inputTensor(tf, xs, cfg.d), cfg);
  const data = await y.data();
  tf.dispose([y, ...Object.values(tensors)]);
  return Array.from({ length: L }, (_, i) => Float32Array.from(data.subarray(i * cfg.d, (i + 1) * cfg.d)));
}

/** A block's weights as tfjs tensors, by parameter name. */
export function blockTensors(tf: Tf, block: Pick<SequenceBlock, 'params'>, cfg: BlockConfig, w: BlockWeights): Record<string, Tensor> {
  const tensors: Record<string, Tensor> = {};
  for (const p of block.params(cfg)) tensors[p.name] = tf.tensor(w[p.name], [...p.shape]);
  return tensors;
}

/** A sequence of d-vectors as one [1, L, d] batch. */
export function inputTensor(tf: Tf, xs: readonly Float32Array[], d: number): Tensor3D {
  const flat = new Float32Array(xs.length * d);
  xs.forEach((x, i) => flat.set(x, i * d));
  return tf.tensor3d(flat, [1, xs.length, d]);
}

export function weightsFor(block: SequenceBlock, cfg: BlockConfig, seed: number): BlockWeights {
  return initParams(block.params(cfg), createRng(seed, 11));
}

export function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

export { countTable };
