// The task of the SNN backend's worker-thread pool (snn.ts runInThreads, piscina): one contiguous chunk
// of the samples through the same backend; its raw recorders go back (typed arrays, structured clone).
// The pool's threads outlive one run, so the configurations of a study start no new workers.
import type { SnnChunkTask, SnnRawRun } from './snn.js';
import { createSnn } from './snn.js';

export default function runChunk(task: SnnChunkTask): SnnRawRun {
  return createSnn(task.model, task.options).runRaw(task.samples, task.first);
}
