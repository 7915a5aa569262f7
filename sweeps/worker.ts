// Worker-thread entry of parallel sweeps: runs one execution plan (through the same content cache
// as the main thread) and returns its result. One ExecutionContext per worker, so each worker loads
// a dataset and model once. Progress stays silent; what is wrong with the cache goes to stderr.
// An InputError cannot cross the thread boundary with its class (structured clone keeps only
// Error's fields), so it comes back as data and the main thread rethrows it as an InputError.
import { InputError } from '../harness/errors.js';
import type { InputProblem } from '../harness/errors.js';
import { ExecutionContext } from './execute.js';
import type { ExecutionPlan, ExecutionResult } from './execute.js';

const ctx = new ExecutionContext(
  () => {},
  (line) => process.stderr.write(`${line}\n`),
);

export type WorkerOutcome =
  | { readonly ok: true; readonly result: ExecutionResult; readonly cached: boolean }
  | { readonly ok: false; readonly message: string; readonly problem?: InputProblem };

export default async function run(plan: ExecutionPlan): Promise<WorkerOutcome> {
  try {
    const { result, cached } = await ctx.execute(plan);
    return { ok: true, result, cached };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, message: e.message, ...(e.problem === undefined ? {} : { problem: e.problem }) };
    throw e;
  }
}

/** The main thread's side: a worker's outcome as a result, or its input error rethrown with its type. */
export function unwrapWorkerOutcome(o: WorkerOutcome): { result: ExecutionResult; cached: boolean } {
  if (!o.ok) throw new InputError(o.message, o.problem);
  return { result: o.result, cached: o.cached };
}
