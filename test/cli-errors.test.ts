// Every CLI error path: one clear line on stderr naming the option and the fix, exit 2, nothing written.
// In process through main() (runCli); the built launcher itself is checked once, at the end.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliResult } from './cli-helpers.js';
import { cli, listTree, runCli, tempDir } from './cli-helpers.js';

/** Exit 2, one line naming the problem, nothing on stdout and nothing written in `cwd` (listed `before`). */
function expectOneLine(r: CliResult, mentions: RegExp, cwd: string, before: string[]): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^joulebench: error: /);
  expect(lines[0]).toMatch(mentions);
  expect(r.stdout).toBe('');
  expect(listTree(cwd)).toEqual(before); // nothing half-written
}

async function expectUsageError(args: string[], mentions: RegExp, setup?: (cwd: string) => void): Promise<void> {
  const cwd = tempDir('cli-err');
  setup?.(cwd);
  const before = listTree(cwd);
  expectOneLine(await runCli(args, cwd), mentions, cwd, before);
}

describe('joulebench run rejects bad arguments with exit 2 and one line', () => {
  it('unknown workload names the known ones', () => expectUsageError(['run', '--workload', 'cifar-vgg'], /--workload: unknown workload "cifar-vgg"; choose one of mnist-mlp, /));
  it('T = 0', () => expectUsageError(['run', '-T', '0'], /--timesteps must be a positive integer, got 0/));
  it('fractional T', () => expectUsageError(['run', '-T', '2.5'], /--timesteps must be a positive integer, got 2.5/));
  it('repeated T', () => expectUsageError(['run', '-T', '8', '8'], /--timesteps: values repeat/));
  it('huge T', () => expectUsageError(['run', '-T', '100000'], /--timesteps 100000 is above the supported maximum/));
  it('negative samples', () => expectUsageError(['run', '--samples', '-5'], /--samples must be a positive integer, got -5/));
  it('NaN samples', () => expectUsageError(['run', '-n', 'many'], /--samples must be a finite number, got NaN/));
  it('more samples than the test set holds (not silently clamped)', () => expectUsageError(['run', '-n', '20000', '-b', 'ann-dense', '-q', '-o', 'out'], /--samples: asks for 20000 samples, but mnist\/test has 10000; give 10000 or fewer/));
  it('NaN timesteps', () => expectUsageError(['run', '-T', 'x'], /--timesteps must be a finite number, got NaN/));
  it('zero calibration samples', () => expectUsageError(['run', '--calibration-samples', '0'], /--calibration-samples must be a positive integer/));
  it('negative seed', () => expectUsageError(['run', '--seed', '-1'], /--seed must be an integer in \[0, 4294967295\]/));
  it('unknown backend', () => expectUsageError(['run', '-b', 'loihi'], /--backend: unknown backend "loihi"; known: ann-dense, ann-sparse, ann-quant, snn/));
  it('unknown cost model profile', () => expectUsageError(['run', '-c', 'accelergy'], /--cost-model: unknown cost model profile "accelergy"; known: lemaire-2022, ops-only-45nm/));
  it('bad normalization', () => expectUsageError(['run', '--norm', 'p250'], /--norm: normalization "p250" is not known/));
  it('unknown neuron model', () => expectUsageError(['run', '--neuron', 'hodgkin-huxley'], /--neuron: neuron model "hodgkin-huxley" is not known; use if, lif or cuba/));
  it('unknown reset', () => expectUsageError(['run', '--reset', 'half'], /--reset: reset "half" is not known; use subtract or zero/));
  it('leak out of range', () => expectUsageError(['run', '--neuron', 'lif', '--beta', '1.5'], /--beta: beta \(membrane decay\) must be in \(0, 1\], got 1.5/));
  it('a leak on an IF neuron', () => expectUsageError(['run', '--beta', '0.9'], /--beta: an IF neuron has no leak/));
  it('negative refractory period', () => expectUsageError(['run', '--refractory', '-2'], /--refractory: refractory period must be a whole number of steps ≥ 0, got -2/));
  it('unknown coding', () => expectUsageError(['run', '--coding', 'phase'], /--coding: "phase" is not known; use rate, latency, direct/));
  it('unknown execution', () => expectUsageError(['run', '--execution', 'async'], /--execution: "async" is not known; use time-stepped or event-driven/));
  it('malformed quantization', () => expectUsageError(['run', '-b', 'ann-quant', '--quant', 'int8'], /--quant: quantization "int8" is not of the form/));
  it('unknown option', () => expectUsageError(['run', '--frobnicate'], /Unknown argument: frobnicate/));
  it('an option without its value (the next word is another option)', () => expectUsageError(['run', '-o', '--force'], /--out: needs a value, and none follows it/));
  it('a scalar option given twice', () => expectUsageError(['run', '-o', 'a', '-o', 'b'], /--out: given 2 times \(a, b\); give it once/));
  it('an empty output path', () => expectUsageError(['sweep', 's.yaml', '-o', ''], /--out: is empty; give a value/));
  it('unknown command', () => expectUsageError(['sweep-everything'], /Unknown argument: sweep-everything/));
  it('output path below a regular file (unwritable)', () =>
    expectUsageError(['run', '-n', '5', '-o', 'blocker/out'], /--out blocker\/out: .*blocker is not a directory/, (cwd) => writeFileSync(join(cwd, 'blocker'), 'x')));
  it('output path in a place no directory can be created', () => expectUsageError(['run', '-n', '5', '-o', '/proc/joulebench-out'], /--out \/proc\/joulebench-out: cannot create directories in \/proc/));
  it('output directory that is not empty, without --force', () =>
    expectUsageError(['run', '-n', '5', '-o', 'taken'], /--out taken: directory exists and is not empty; .*--force/, (cwd) => {
      const d = join(cwd, 'taken');
      mkdirSync(d);
      writeFileSync(join(d, 'keep.txt'), 'mine');
    }));
});

describe('joulebench run reports missing inputs with exit 2', () => {
  // a child process: JOULEBENCH_FASHION_MNIST_DIR is read once, when the dataset module loads
  it('a missing dataset names the file and the package to install', () => {
    const cwd = tempDir('cli-err');
    const r = cli(['run', '-w', 'fashion-mnist-mlp', '-o', 'out'], cwd, { JOULEBENCH_FASHION_MNIST_DIR: '/nonexistent' });
    expectOneLine(r, /dataset fashion-mnist: file \/nonexistent\/train-images-idx3-ubyte\.gz is missing; install it with `apt-get install dataset-fashion-mnist`/, cwd, []);
  });
});

describe('joulebench run --onnx', () => {
  const fixture = (name: string) => resolve(import.meta.dirname, 'fixtures', 'onnx', name);
  it('refuses a max-pooling model for the SNN backend before any work, naming the layer and the fix', () =>
    expectUsageError(['run', '--onnx', fixture('torch-cnn.onnx'), '-o', 'out'], /--onnx .*torch-cnn.onnx: layer \/3\/MaxPool is max pooling, which has no spiking form; run the ANN backends only/));
  it('a missing file', () => expectUsageError(['run', '--onnx', 'nope.onnx'], /ONNX model nope.onnx: cannot read the file/));
  it('an unknown dataset', () => expectUsageError(['run', '--onnx', fixture('torch-cnn.onnx'), '--dataset', 'cifar'], /--dataset: "cifar" is not known; use mnist or fashion-mnist/));
  it('--onnx with --workload', () => expectUsageError(['run', '--onnx', fixture('torch-cnn.onnx'), '-w', 'mnist-mlp'], /--onnx and --workload are alternatives/));
  it('--dataset without --onnx', () => expectUsageError(['run', '--dataset', 'mnist'], /--dataset: only with --onnx/));

  it('runs a PyTorch-exported CNN as ANN and SNN; a model that cannot price conv layers says so per profile', async () => {
    const cwd = tempDir('onnx-run');
    const r = await runCli(['run', '--onnx', fixture('torch-cnn-avg.onnx'), '-n', '50', '-T', '8', '--calibration-samples', '200', '-o', 'out', '-q'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ann-dense\s+\d+\.\d\d%/m);
    const doc = JSON.parse(readFileSync(join(cwd, 'out', 'results.json'), 'utf8'));
    expect(doc.workload.id).toBe('onnx:torch-cnn-avg');
    expect(doc.workload.layers.map((l: { kind: string }) => l.kind)).toEqual(['conv2d', 'avgpool2d', 'dense', 'dense']);
    const ops = doc.configurations[0].energy.find((e: { profile: string }) => e.profile === 'ops-only-45nm');
    expect(ops.totalJ).toBeGreaterThan(0);
    for (const c of doc.configurations) {
      for (const e of c.energy) expect(e.profile).not.toBe(c.refused[0]?.profile);
    }
  });
});

describe('joulebench list', () => {
  it('names workloads, backends, sequence families, brain models and profiles', async () => {
    const r = await runCli(['list'], tempDir('cli-list'));
    expect(r.code).toBe(0);
    for (const id of ['mnist-mlp', 'fashion-mnist-mlp', 'ann-dense', 'snn', 'ops-only-45nm', 'lemaire-2022']) expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/\n {2}mamba +Mamba-1 selective SSM\n/);
    expect(r.stdout).toContain('brain models (joulebench brain): hopfield, som, stdp, lut');
  });
});

describe('the built launcher (bin/joulebench.js over dist/), in a child process', () => {
  it('--help documents the options and exits 0', () => {
    const r = cli(['run', '--help'], tempDir('cli-help'));
    expect(r.code).toBe(0);
    for (const opt of ['--workload', '--backend', '--timesteps', '--cost-model', '--samples', '--out']) expect(r.stdout).toContain(opt);
  });
  it('a usage error is one line on stderr and exit code 2, nothing written', () => {
    const cwd = tempDir('cli-bin');
    expectOneLine(cli(['run', '-T', '0', '-o', 'out'], cwd), /--timesteps must be a positive integer, got 0/, cwd, []);
  });
});
