// What every backend is: it executes a prepared network on samples and returns predictions plus a
// Ledger of hardware-independent counts. Backends know nothing about joules.
import type { SampleSet } from './data.js';
import type { BackendDescriptor, Ledger } from '../core/ledger.js';

export interface BackendRun {
  readonly predictions: Uint8Array;
  readonly ledger: Ledger;
}

/**
 * What a run reports while it runs: `onProgress(done, total)` after samples finish (per sample, per
 * batch, or per worker thread's chunk). The backend only counts; how progress shows is the caller's.
 */
export interface RunHooks {
  readonly onProgress?: (done: number, total: number) => void;
}

export interface Backend {
  readonly descriptor: BackendDescriptor;
  run(samples: SampleSet, hooks?: RunHooks): BackendRun;
  /** Present when the backend runs asynchronously (e.g. on onnxruntime); preferred over run(). */
  runAsync?(samples: SampleSet, hooks?: RunHooks): Promise<BackendRun>;
}

/** Runs a backend whichever way it runs. */
export async function runBackend(backend: Backend, samples: SampleSet, hooks: RunHooks = {}): Promise<BackendRun> {
  return backend.runAsync ? backend.runAsync(samples, hooks) : backend.run(samples, hooks);
}

/** Fraction of predictions equal to the labels: the task metric of the classification workloads. */
export function accuracy(predictions: Uint8Array, labels: Uint8Array): number {
  if (predictions.length !== labels.length) throw new Error('accuracy: predictions and labels differ in length');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}
