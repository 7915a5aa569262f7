// A worker thread of the SNN backend's threaded run (snn.ts runInThreads): one contiguous chunk of the
// samples through the same backend, its raw recorders posted back (typed arrays, structured clone).
import { parentPort, workerData } from 'node:worker_threads';
import type { SpikingModel } from '../convert.js';
import type { SampleSet } from '../data.js';
import type { SnnOptions } from './snn.js';
import { createSnn } from './snn.js';

const { model, options, samples, first } = workerData as { model: SpikingModel; options: SnnOptions; samples: SampleSet; first: number };
try {
  parentPort!.postMessage(createSnn(model, options).runRaw(samples, first));
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
