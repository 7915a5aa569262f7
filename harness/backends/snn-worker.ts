// The task of the spiking backends' worker-thread pool (sample-pool.ts, piscina): one contiguous chunk
// of the samples through the same chain backend (snn.ts) or graph engine (snn-graph.ts); its raw
// recorders go back (typed arrays, structured clone).
import type { RawRun } from './sample-pool.js';
import type { SnnChunkTask } from './snn.js';
import { createSnn } from './snn.js';
import type { GraphChunkTask } from './snn-graph.js';
import { createSnnGraph } from './snn-graph.js';

export default function runChunk(task: SnnChunkTask | GraphChunkTask): RawRun {
  if (task.kind === 'graph') return createSnnGraph(task.graph, task.options).runRaw(task.samples, task.binaryFrames);
  return createSnn(task.model, task.options).runRaw(task.samples, task.first);
}
