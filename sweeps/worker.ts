// Worker-thread entry of parallel sweeps: runs one execution plan (through the same content cache
// as the main thread) and returns its result. One ExecutionContext per worker, so each worker loads
// a dataset and model once. Progress stays silent; what is wrong with the cache goes to stderr.
// An input error comes back as data (worker-outcome.ts).
import { InputError } from '../core/errors.js';
import { ExecutionContext } from './execute.js';
import type { ExecutionPlan } from './execute.js';
import type { WorkerOutcome } from './worker-outcome.js';

const ctx = new ExecutionContext(
  () => {},
  (line) => process.stderr.write(`${line}\n`),
);

export default async function run(plan: ExecutionPlan): Promise<WorkerOutcome> {
  try {
    const { result, cached } = await ctx.execute(plan);
    return { ok: true, result, cached };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, message: e.message, ...(e.problem === undefined ? {} : { problem: e.problem }) };
    throw e;
  }
}
