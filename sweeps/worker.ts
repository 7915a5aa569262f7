// Worker-thread entry of parallel sweeps: runs one execution plan (through the same content cache
// as the main thread) and returns its result. One ExecutionContext per worker, so each worker loads
// a dataset and model once.
import { ExecutionContext } from './execute.js';
import type { ExecutionPlan, ExecutionResult } from './execute.js';

const ctx = new ExecutionContext(() => {});

export default async function run(plan: ExecutionPlan): Promise<{ result: ExecutionResult; cached: boolean }> {
  return ctx.execute(plan);
}
