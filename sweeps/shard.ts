// Shards of a sweep: `--shard i/N` runs executions i, i+N, i+2N … (round-robin, 1-based), and
// `--shard auto` takes i and N from the scheduler that started the process.
import { InputError } from '../core/errors.js';

export interface Shard {
  readonly index: number; // 1-based
  readonly count: number;
  /** Where `auto` found it (for the log), absent when given as i/N. */
  readonly from?: string;
}

export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  if (text === 'auto') return shardFromEnvironment(env);
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new InputError(`--shard "${text}" must be i/N with 1 ≤ i ≤ N (e.g. 2/4) or auto`);
  return { index, count };
}

/** The shard (1-based) that owns execution i (0-based) of a sweep split into `count` shards. */
export function shardOfExecution(i: number, count: number): number {
  return (i % count) + 1;
}

const AUTO_HELP =
  'set JOULEBENCH_SHARD_INDEX (0-based) and JOULEBENCH_SHARD_COUNT (GitHub Actions: from strategy.job-index and strategy.job-total), run as a Slurm job array, or as a Kubernetes Indexed Job with JOULEBENCH_SHARD_COUNT set to its completions; or give --shard i/N';

/** A whole number ≥ min from the environment variable `name`, or undefined when unset. */
function envInt(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new InputError(`--shard auto: ${name}="${raw}" is not a whole number ≥ ${min}; ${AUTO_HELP}`);
  return Number(raw);
}

function checked(index0: number, count: number, from: string): Shard {
  if (index0 >= count) throw new InputError(`--shard auto: ${from} gives index ${index0} (0-based) for ${count} shards; the index must be below the count`);
  return { index: index0 + 1, count, from };
}

/**
 * The shard from the scheduler's environment, in this order:
 * 1. JOULEBENCH_SHARD_INDEX (0-based) + JOULEBENCH_SHARD_COUNT — any scheduler; a GitHub Actions matrix
 *    sets them from `strategy.job-index` / `strategy.job-total` (contexts that are not in the environment);
 * 2. a Slurm job array: SLURM_ARRAY_TASK_ID among SLURM_ARRAY_TASK_MIN … MAX (step SLURM_ARRAY_TASK_STEP),
 *    SLURM_ARRAY_TASK_COUNT tasks — the array must be a range (e.g. --array=0-7 or 1-16:3);
 * 3. a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based); the Job's completions are not in the
 *    environment, so JOULEBENCH_SHARD_COUNT must give them.
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv): Shard {
  const count = envInt(env, 'JOULEBENCH_SHARD_COUNT', 1);
  const own = envInt(env, 'JOULEBENCH_SHARD_INDEX', 0);
  if (own !== undefined) {
    if (count === undefined) throw new InputError(`--shard auto: JOULEBENCH_SHARD_INDEX is set but JOULEBENCH_SHARD_COUNT is not; ${AUTO_HELP}`);
    return checked(own, count, 'JOULEBENCH_SHARD_INDEX/COUNT');
  }
  const task = envInt(env, 'SLURM_ARRAY_TASK_ID', 0);
  if (task !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN', 0) ?? 0;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX', 0);
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP', 1) ?? 1;
    const tasks = envInt(env, 'SLURM_ARRAY_TASK_COUNT', 1);
    if (max === undefined || tasks === undefined) throw new InputError(`--shard auto: SLURM_ARRAY_TASK_ID is set without SLURM_ARRAY_TASK_MAX and SLURM_ARRAY_TASK_COUNT; ${AUTO_HELP}`);
    if ((task - min) % step !== 0 || Math.floor((max - min) / step) + 1 !== tasks) {
      throw new InputError(`--shard auto: the Slurm array (tasks ${min}-${max}:${step}, ${tasks} tasks, this one ${task}) is not one range with a step; submit it as --array=a-b[:s] or give --shard i/N`);
    }
    return checked((task - min) / step, tasks, 'Slurm job array');
  }
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX', 0);
  if (k8s !== undefined) {
    if (count === undefined) throw new InputError(`--shard auto: JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set but the number of shards is not: set JOULEBENCH_SHARD_COUNT to the Job's spec.completions`);
    return checked(k8s, count, 'Kubernetes Indexed Job');
  }
  throw new InputError(`--shard auto: no shard in the environment; ${AUTO_HELP}`);
}
