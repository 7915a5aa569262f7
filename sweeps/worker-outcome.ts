// What a sweep worker thread returns: an execution result, or an InputError as data. An InputError
// cannot cross the thread boundary with its class (structured clone keeps only Error's fields), so
// the worker returns it as data and the main thread rethrows it as an InputError.
import { InputError } from '../core/errors.js';
import type { InputProblem } from '../core/errors.js';
import type { ExecutionResult } from './execute.js';

export type WorkerOutcome =
  | { readonly ok: true; readonly result: ExecutionResult; readonly cached: boolean }
  | { readonly ok: false; readonly message: string; readonly problem?: InputProblem };

/** The main thread's side: a worker's outcome as a result, or its input error rethrown with its type. */
export function unwrapWorkerOutcome(o: WorkerOutcome): { result: ExecutionResult; cached: boolean } {
  if (!o.ok) throw new InputError(o.message, o.problem);
  return { result: o.result, cached: o.cached };
}
