// A sweep worker thread returns an input error as data, and the main thread rethrows it as an
// InputError, so `sweep --jobs N` reports a user's mistake in one line (exit 2) like `--jobs 1` does.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleTemps, tempSibling } from '../core/atomic-write.js';
import { InputError } from '../core/errors.js';
import type { ExecutionPlan } from '../sweeps/execute.js';
import { unwrapWorkerOutcome } from '../sweeps/worker-outcome.js';
import { tempDir } from './cli-helpers.js';

describe('sweep worker outcomes', () => {
  const saved = process.env.JOULEBENCH_CACHE;
  beforeAll(() => {
    process.env.JOULEBENCH_CACHE = tempDir('worker-cache');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.JOULEBENCH_CACHE;
    else process.env.JOULEBENCH_CACHE = saved;
  });

  it('an InputError raised in the worker comes back as data and is rethrown as an InputError with its fields', async () => {
    const { default: run } = await import('../sweeps/worker.js');
    const plan = { kind: 'image', workload: 'no-such-workload', spec: { backend: 'ann-dense' }, samples: 1, calibrationSamples: 1, norm: 'max', seed: 1 } as unknown as ExecutionPlan;
    const outcome = await run(plan);
    expect(outcome.ok).toBe(false);
    expect(() => unwrapWorkerOutcome(outcome)).toThrow(InputError);
    expect(() => unwrapWorkerOutcome(outcome)).toThrow(/no-such-workload/);
  });

  it('a structured problem survives the round trip', () => {
    const problem = { file: 'sweep.yaml', field: 'points[0].timesteps', problem: 'must be ≤ 4096, got 1e9', fix: 'use fewer timesteps' };
    try {
      unwrapWorkerOutcome({ ok: false, message: InputError.at(problem).message, problem });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).problem).toEqual(problem);
      expect((e as InputError).message).toBe('sweep.yaml: points[0].timesteps: must be ≤ 4096, got 1e9; use fewer timesteps');
    }
  });
});

describe('temporaries of worker threads', () => {
  it('carry the thread id, so two threads writing one entry never share a temporary; a dead process\'s are removed, thread tag or not', () => {
    const dir = tempDir('thread-temps');
    // this test runs on a main thread (vitest forks): no thread tag
    expect(tempSibling(join(dir, 'entry.json'))).toBe(join(dir, `.joulebench-tmp-${process.pid}.entry.json`));
    const dead = 4_194_000; // no such process (above this machine's pid_max, below the 2^22 limit Linux allows)
    for (const name of [`.joulebench-tmp-${dead}-t3.entry.json`, `.joulebench-tmp-${dead}.entry.json`, `.joulebench-tmp-${process.pid}-t2.entry.json`, 'entry.json']) writeFileSync(join(dir, name), 'x');
    expect(removeStaleTemps(dir).sort()).toEqual([`.joulebench-tmp-${dead}-t3.entry.json`, `.joulebench-tmp-${dead}.entry.json`]);
    expect(readdirSync(dir).sort()).toEqual([`.joulebench-tmp-${process.pid}-t2.entry.json`, 'entry.json']);
  });
});
