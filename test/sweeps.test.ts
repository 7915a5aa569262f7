// Sweeps: expansion, content-cached executions, resume after kill -9, shard + merge, bad input.
// Commands run in process (runCli); child processes only for the kill -9 and for --jobs 2 (worker
// threads load the compiled dist/sweeps/worker.js).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSweep } from '../sweeps/spec.js';
import { BIN, cli, isolatedCache, listTree, runCli, tempDir } from './cli-helpers.js';

describe('sweep expansion', () => {
  it('crosses grid axes, iterates zip axes together, adds fixed values and drops nulls', () => {
    const s = parseSweep(
      `version: 1\nname: t\nworkload:\n  fixed: { workload: mnist-mlp }\n  grid: { backend: [ann-dense, snn] }\n  zip: { timesteps: [4, 8], seed: [1, null] }\nhardware:\n  grid: { profile: [ops-only-45nm, lemaire-2022] }\n`,
      't.yaml',
    );
    expect(s.executions).toEqual([
      { workload: 'mnist-mlp', timesteps: 4, seed: 1, backend: 'ann-dense' },
      { workload: 'mnist-mlp', timesteps: 4, seed: 1, backend: 'snn' },
      { workload: 'mnist-mlp', timesteps: 8, backend: 'ann-dense' },
      { workload: 'mnist-mlp', timesteps: 8, backend: 'snn' },
    ]);
    expect(s.hardware).toEqual([{ profile: 'ops-only-45nm' }, { profile: 'lemaire-2022' }]);
  });
  it('refuses unequal zips, repeated keys, unknown keys and a missing profile, naming them', () => {
    const base = (w: string, h = 'grid: { profile: [ops-only-45nm] }') => `version: 1\nname: t\nworkload:\n  ${w}\nhardware:\n  ${h}\n`;
    expect(() => parseSweep(base('zip: { backend: [snn, snn], timesteps: [4] }'), 't.yaml')).toThrow(/t\.yaml: field workload\.zip\.timesteps: has 1 values but backend has 2/);
    expect(() => parseSweep(base('fixed: { backend: snn }\n  grid: { backend: [snn] }'), 't.yaml')).toThrow(/key "backend" appears in more than one/);
    expect(() => parseSweep(base('fixed: { depth: 3 }'), 't.yaml')).toThrow(/field workload: unknown key "depth"/);
    expect(() => parseSweep(base('fixed: { backend: snn }', 'fixed: { node: 7 }'), 't.yaml')).toThrow(/field hardware: unknown key "node"; use profile or param/);
    expect(() => parseSweep(base('fixed: { backend: snn }', 'grid: { param.fifoEntries: [10] }'), 't.yaml')).toThrow(/every hardware point needs a profile/);
    expect(() => parseSweep('version: 1\nname: T!\nworkload: {}\nhardware: {}\n', 't.yaml')).toThrow(/field name/);
  });
});

const SWEEP = `version: 1
name: resume-test
workload:
  fixed: { workload: mnist-mlp, backend: snn, samples: 1500, calibration-samples: 1000 }
  grid: { timesteps: [8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] }
hardware:
  zip:
    profile: [ops-only-45nm, lemaire-2022, lemaire-2022]
    param.fifoEntries: [null, 100, 5000]
`;

describe('joulebench sweep', () => {
  it('resumes after kill -9: finished executions are not redone, and rows equal an uninterrupted run', async () => {
    const cwd = tempDir('sweep');
    writeFileSync(join(cwd, 'sweep.yaml'), SWEEP);
    const cache = isolatedCache();
    const chunks = join(cwd, 'killed', 'chunks');
    // start, wait for two finished executions, then kill -9
    const child = spawn(process.execPath, [BIN, 'sweep', 'sweep.yaml', '-o', 'killed', '-q'], { cwd, env: { ...process.env, JOULEBENCH_CACHE: cache }, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    for (let i = 0; i < 1800; i++) {
      if (existsSync(chunks) && readdirSync(chunks).filter((f) => f.endsWith('.csv')).length >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
    const finished = readdirSync(chunks).filter((f) => /^\d{6}\.csv$/.test(f)).length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(12);
    expect(existsSync(join(cwd, 'killed', 'rows.csv'))).toBe(false);
    const resumed = await runCli(['sweep', 'sweep.yaml', '-o', 'killed'], cwd, { JOULEBENCH_CACHE: cache });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${finished} already done`);
    expect(readdirSync(chunks).some((f) => f.startsWith('.joulebench-tmp-'))).toBe(false);
    const fresh = await runCli(['sweep', 'sweep.yaml', '-o', 'fresh', '-q'], cwd, { JOULEBENCH_CACHE: cache });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('0 run, 12 from cache'); // a second sweep over the same executions runs nothing
    expect(readFileSync(join(cwd, 'killed', 'rows.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'fresh', 'rows.csv'), 'utf8'));
    const rows = readFileSync(join(cwd, 'fresh', 'rows.csv'), 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(1 + 12 * 3);
    expect(rows[0]).toBe('workload,backend,timesteps,samples,calibration-samples,configuration,accuracy,spikes_per_synapse,profile,param.fifoEntries,status,energy_j,compute_j,memory_j,all_in_j,note');
  });

  it('shards and merge give exactly the unsharded rows', async () => {
    const cwd = tempDir('shard');
    writeFileSync(join(cwd, 'sweep.yaml'), SWEEP.replace('1500', '300'));
    const env = { JOULEBENCH_CACHE: isolatedCache() };
    for (const args of [['-o', 'all'], ['--shard', '1/3', '-o', 's1'], ['--shard', '2/3', '-o', 's2']]) {
      const r = await runCli(['sweep', 'sweep.yaml', '-q', ...args], cwd, env);
      expect(r.code, r.stderr).toBe(0);
    }
    // the third as a Slurm array task would run it (--array=1-3, task 3): --shard auto
    const slurm = await runCli(['sweep', 'sweep.yaml', '--shard', 'auto', '-o', 's3'], cwd, { ...env, SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' });
    expect(slurm.code, slurm.stderr).toBe(0);
    expect(slurm.stderr).toContain('shard 3/3 (from the Slurm job array)');
    // worker threads (a child process: they load the compiled worker), on a fresh execution cache, give the same rows
    const par = cli(['sweep', 'sweep.yaml', '-q', '-o', 'par', '--jobs', '2'], cwd, { JOULEBENCH_CACHE: isolatedCache() });
    expect(par.code, par.stderr).toBe(0);
    expect(par.stdout).toContain('12 run, 0 from cache');
    expect(readFileSync(join(cwd, 'par', 'rows.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'all', 'rows.csv'), 'utf8'));
    expect(readdirSync(join(cwd, 's2', 'chunks'))).toEqual(['000001.csv', '000004.csv', '000007.csv', '000010.csv']);
    const partial = await runCli(['merge', 's1', 's2', '-o', 'partial'], cwd);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/merge: 4 of 12 executions have no results in these folders \(first: point 3\); missing shard 3\/3: run it/);
    expect(existsSync(join(cwd, 'partial'))).toBe(false);
    const merged = await runCli(['merge', 's1', 's2', 's3', '-o', 'merged'], cwd);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'merged', 'rows.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'all', 'rows.csv'), 'utf8'));
  });

  it('refuses to merge folders of different sweeps', async () => {
    const cwd = tempDir('shard-mix');
    writeFileSync(join(cwd, 'a.yaml'), SWEEP.replace('1500', '200').replace('[8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]', '[4]'));
    writeFileSync(join(cwd, 'b.yaml'), SWEEP.replace('1500', '200').replace('[8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]', '[6]'));
    expect((await runCli(['sweep', 'a.yaml', '-o', 'a', '-q'], cwd)).code).toBe(0);
    expect((await runCli(['sweep', 'b.yaml', '-o', 'b', '-q'], cwd)).code).toBe(0);
    const r = await runCli(['merge', 'a', 'b', '-o', 'm'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/merge: b holds a different sweep than a/);
  });

  it('refuses bad points with exit 2 and one line, before running anything', async () => {
    const cases: [string, RegExp][] = [
      [SWEEP.replace('backend: snn', 'backend: gpu'), /workload point 1 .*: backend "gpu" is not known/],
      [SWEEP.replace('[null, 100, 5000]', '[null, 100, -5]'), /hardware point 3 .*: param.fifoEntries = -5 is outside the model's valid range \[1, 10000000\]/],
      [SWEEP.replace('[null, 100, 5000]', '[null, 100, 5000]\n    param.width: [null, 1, 2]'), /hardware point 2 .*: param.width: profile lemaire-2022 \(model lemaire-2022\) has no parameter "width"; it has fifoEntries/],
      [SWEEP.replace('workload: mnist-mlp', 'workload: imagenet'), /workload point 1 .*: unknown workload "imagenet"/],
      [SWEEP.replace('samples: 1500', 'samples: -3'), /samples must be a positive integer, got -3/],
      // the checks `run` applies to its options (harness/run-options.ts), not silently ignored
      [SWEEP.replace('backend: snn,', 'backend: snn, neuron: lif, alpha: 0.3,'), /workload point 1 .*: alpha 0\.3: the synaptic current decay exists only in cuba neurons, not lif; drop alpha or add neuron cuba/],
      [SWEEP.replace('workload: mnist-mlp,', 'workload: mnist-mlp-sg, neuron: lif,'), /workload point 1 .*: neuron lif: mnist-mlp-sg is an SNN trained directly \(surrogate gradients\) with if neurons/],
      ['version: 1\nname: x\nworkload: [\n', /sweep.yaml: not valid YAML/],
    ];
    for (const [text, msg] of cases) {
      const cwd = tempDir('sweep-bad');
      writeFileSync(join(cwd, 'sweep.yaml'), text);
      const before = listTree(cwd);
      const r = await runCli(['sweep', 'sweep.yaml', '-o', 'out'], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(listTree(cwd)).toEqual(before);
    }
  });
});
