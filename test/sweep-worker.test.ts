// A sweep worker thread returns an input error as data, and the main thread rethrows it as an
// InputError, so `sweep --jobs N` reports a user's mistake in one line (exit 2) like `--jobs 1` does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.js';
import type { ExecutionPlan } from '../sweeps/execute.js';
import { unwrapWorkerOutcome } from '../sweeps/worker-outcome.js';

describe('sweep worker outcomes', () => {
  const saved = process.env.JOULEBENCH_CACHE;
  beforeAll(() => {
    process.env.JOULEBENCH_CACHE = mkdtempSync(join(tmpdir(), 'joulebench-worker-cache-'));
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
