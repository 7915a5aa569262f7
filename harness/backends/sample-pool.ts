// Splitting a spiking run's samples across worker threads: one process-wide piscina pool whose idle
// threads do not keep the process alive (so a study's later configurations start no workers), one
// contiguous chunk per thread, and the chunks' raw recorders joined back in sample order. Used by the
// chain backend (snn.ts) and the graph engine (snn-graph.ts); the task runs in snn-worker.ts.
import { join } from 'node:path';
import type { Piscina } from 'piscina';
import { packageRoot } from '../../core/paths.js';
import type { LayerActivityRecorder } from '../../core/ledger.js';
import { newActivityRecorder } from '../../core/ledger.js';
import type { SampleSet } from '../data.js';

/** A run's predictions and per-layer activity recorders, before they are summarized into a ledger. */
export interface RawRun {
  readonly predictions: Uint8Array;
  readonly recs: LayerActivityRecorder[];
}

/** The worker of the pool (harness/backends/snn-worker.ts) as built into dist/ (also when the sources run, e.g. under vitest). */
const WORKER = join(packageRoot, 'dist', 'harness', 'backends', 'snn-worker.js');

let pool: { readonly threads: number; readonly pool: Promise<Piscina> } | undefined;

/** The process's worker pool of `threads` threads (made anew when another size is asked for). */
function workerPool(threads: number): Promise<Piscina> {
  if (pool?.threads !== threads) {
    const old = pool;
    pool = {
      threads,
      pool: import('piscina').then(({ Piscina: P }) => {
        void old?.pool.then((p) => p.destroy());
        return new P({ filename: WORKER, minThreads: threads, maxThreads: threads });
      }),
    };
  }
  return pool.pool;
}

/**
 * Runs `threads` contiguous chunks of the samples on the pool (`task` builds a chunk's task: its samples
 * and the index of its first sample in the whole set) and joins the recorders: per-sample counts in
 * sample order, per-step sums added (integer counts: exact in any order). The same result as one thread
 * when each sample's result depends on that sample alone.
 */
export async function runChunks(task: (part: SampleSet, first: number) => object, samples: SampleSet, threads: number, timesteps: number, onProgress?: (done: number, total: number) => void): Promise<RawRun> {
  const p = await workerPool(threads);
  const size = samples.inputs.length / Math.max(1, samples.count);
  const chunk = Math.ceil(samples.count / threads);
  const starts = Array.from({ length: threads }, (_, k) => k * chunk).filter((a) => a < samples.count);
  let done = 0;
  const parts = await Promise.all(starts.map((first) => {
    const count = Math.min(chunk, samples.count - first);
    const part: SampleSet = { ...samples, count, inputs: samples.inputs.slice(first * size, (first + count) * size), labels: samples.labels.slice(first, first + count) };
    // the chunk's inputs are its own copy: moved to the worker, not copied again
    return (p.run(task(part, first), { transferList: [part.inputs.buffer as ArrayBuffer] }) as Promise<RawRun>).then((r) => {
      // progress per finished chunk
      done += count;
      onProgress?.(done, samples.count);
      return r;
    });
  }));
  const predictions = new Uint8Array(samples.count);
  starts.forEach((first, k) => predictions.set(parts[k].predictions, first));
  const recs = parts[0].recs.map((_, l) => {
    const rec = newActivityRecorder(samples.count, timesteps, { neurobench: true });
    starts.forEach((first, k) => {
      const r = parts[k].recs[l];
      for (const key of ['inputEvents', 'outputEvents', 'synOps', 'updates'] as const) rec[key].set(r[key], first);
      for (const key of ['dense', 'effectiveMacs', 'effectiveAcs', 'activations', 'membraneUpdates'] as const) rec.neurobench![key].set(r.neurobench![key], first);
      for (const key of ['inputPerStep', 'outputPerStep'] as const) for (let t = 0; t < rec[key].length; t++) rec[key][t] += r[key][t];
    });
    return rec;
  });
  return { predictions, recs };
}
