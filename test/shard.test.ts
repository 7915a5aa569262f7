// `--shard auto`: the shard index and count read from a scheduler's environment (Slurm job arrays,
// Kubernetes Indexed Jobs, JOULEBENCH_SHARD_INDEX/COUNT as a GitHub Actions matrix sets them), and
// which shard owns which execution. Expected values worked out by hand from each scheduler's documented
// variables (Slurm job_array.html; Kubernetes indexed-parallel-processing-static; GitHub strategy context).
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { parseShard, shardFromEnvironment, shardOfExecution } from '../sweeps/shard.js';

describe('--shard i/N and auto', () => {
  it('i/N is read as given; malformed or out-of-range values are refused naming the form', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2/0', 'x', '2/4/1', '-1/3']) expect(() => parseShard(bad, {})).toThrow(/must be i\/N with 1 ≤ i ≤ N \(e\.g\. 2\/4\) or auto/);
  });

  it('a GitHub Actions matrix (strategy.job-index 2 of job-total 4, passed as JOULEBENCH_SHARD_INDEX/COUNT) is shard 3/4', () => {
    expect(parseShard('auto', { GITHUB_ACTIONS: 'true', JOULEBENCH_SHARD_INDEX: '2', JOULEBENCH_SHARD_COUNT: '4' })).toEqual({ index: 3, count: 4, from: 'JOULEBENCH_SHARD_INDEX/COUNT' });
  });

  it('a Slurm array --array=0-7: task 0 is shard 1/8, task 7 is 8/8', () => {
    const slurm = { SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '7', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_STEP: '1' };
    expect(shardFromEnvironment({ ...slurm, SLURM_ARRAY_TASK_ID: '0' })).toMatchObject({ index: 1, count: 8 });
    expect(shardFromEnvironment({ ...slurm, SLURM_ARRAY_TASK_ID: '7' })).toMatchObject({ index: 8, count: 8 });
  });

  it('a Slurm array --array=1-16:3 (tasks 1, 4, 7, 10, 13, 16): task 10 is shard 4/6', () => {
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '10', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '16', SLURM_ARRAY_TASK_STEP: '3', SLURM_ARRAY_TASK_COUNT: '6' })).toEqual({ index: 4, count: 6, from: 'Slurm job array' });
  });

  it('a Slurm array that is not one range (--array=1,3,8: count 3, min 1, max 8) is refused', () => {
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/is not one range with a step/);
  });

  it('a Kubernetes Indexed Job: JOB_COMPLETION_INDEX 0 of completions 5 is shard 1/5; without the count it says what to set', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0', JOULEBENCH_SHARD_COUNT: '5' })).toEqual({ index: 1, count: 5, from: 'Kubernetes Indexed Job' });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '0' })).toThrow(/set JOULEBENCH_SHARD_COUNT to the Job's spec\.completions/);
  });

  it('refuses an index beyond the count, a non-number, and an environment with no scheduler, as input errors', () => {
    expect(() => shardFromEnvironment({ JOULEBENCH_SHARD_INDEX: '4', JOULEBENCH_SHARD_COUNT: '4' })).toThrow(/index 4 \(0-based\) for 4 shards/);
    expect(() => shardFromEnvironment({ JOULEBENCH_SHARD_INDEX: 'two', JOULEBENCH_SHARD_COUNT: '4' })).toThrow(/JOULEBENCH_SHARD_INDEX="two" is not a whole number/);
    expect(() => shardFromEnvironment({ JOULEBENCH_SHARD_INDEX: '1' })).toThrow(/JOULEBENCH_SHARD_COUNT is not/);
    expect(() => shardFromEnvironment({ PATH: '/usr/bin' })).toThrow(InputError);
    expect(() => shardFromEnvironment({})).toThrow(/no shard in the environment; set JOULEBENCH_SHARD_INDEX/);
  });

  it('execution i belongs to shard (i mod N) + 1: 12 executions in 3 shards give shard 2 executions 2, 5, 8, 11 (1-based)', () => {
    const mine = Array.from({ length: 12 }, (_, i) => i).filter((i) => shardOfExecution(i, 3) === 2).map((i) => i + 1);
    expect(mine).toEqual([2, 5, 8, 11]);
  });
});
