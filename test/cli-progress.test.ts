// Issue 16, a CLI that keeps its user informed: progress with counts, rate and ETA on stderr (plain
// lines outside a terminal, silent with --quiet), default run folders named after the model and the
// options that tell runs apart, and results/latest pointing at the newest complete run folder.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressLog, progressText } from '../core/progress.js';
import type { SampleSet } from '../harness/data.js';
import { runName, updateLatest } from '../cli/run-name.js';
import { mlpRecipe } from '../workloads/image-mlp.js';
import type { NirGraph, NirNode, NirTensor } from '../workloads/nir/graph.js';
import { writeNirBytes } from '../workloads/nir/write.js';
import { runCli, tempDir } from './cli-helpers.js';
import { f32, le, npy } from './data-readers-helpers.js';

const QUICK = ['-c', 'ops-only-45nm', '--mc-samples', '0', '--calibration-samples', '100'];
const STAMP = String.raw`\d{8}-\d{6}`;
const runFolders = (cwd: string) => readdirSync(join(cwd, 'results')).filter((f) => f !== 'latest' && f !== 'latest.txt');
const latestOf = (cwd: string) => readlinkSync(join(cwd, 'results', 'latest'));

describe('default run folders and results/latest', () => {
  it('a built-in run is named after its workload, backends, T list, neuron and coding; latest follows the newest run, not a failed one', async () => {
    const cwd = tempDir('names');
    const first = await runCli(['run', '-n', '30', '-T', '4', '8', ...QUICK, '-q'], cwd);
    expect(first.code, first.stderr).toBe(0);
    const [a] = runFolders(cwd);
    expect(a).toMatch(new RegExp(`^mnist-mlp_ann\\+snn-if-T4-8_rate_n30_${STAMP}$`));
    expect(lstatSync(join(cwd, 'results', 'latest')).isSymbolicLink()).toBe(true);
    expect(latestOf(cwd)).toBe(a);
    expect(existsSync(join(cwd, 'results', 'latest', 'results.json'))).toBe(true);

    const second = await runCli(['run', '-n', '30', '-b', 'snn', '-T', '4', '--neuron', 'lif', '--coding', 'latency', ...QUICK, '-q'], cwd);
    expect(second.code, second.stderr).toBe(0);
    const b = runFolders(cwd).find((f) => f !== a)!;
    expect(b).toMatch(new RegExp(`^mnist-mlp_snn-lif-T4_latency_n30_${STAMP}$`));
    expect(latestOf(cwd)).toBe(b);

    const failed = await runCli(['run', '-n', '30', '-T', '4', '--neuron', 'hodgkin', ...QUICK, '-q'], cwd);
    expect(failed.code).toBe(2);
    expect(runFolders(cwd)).toHaveLength(2);
    expect(latestOf(cwd)).toBe(b); // unchanged

    // a run written where the user said (--out) leaves results/latest alone
    const given = await runCli(['run', '-n', '30', '-b', 'ann-dense', ...QUICK, '-q', '-o', 'mine'], cwd);
    expect(given.code, given.stderr).toBe(0);
    expect(latestOf(cwd)).toBe(b);
  });

  it('an ONNX run is named after the file and its dataset', async () => {
    const cwd = tempDir('names-onnx');
    const model = resolve(import.meta.dirname, 'fixtures', 'onnx', 'torch-cnn-avg.onnx');
    const r = await runCli(['run', '--onnx', model, '-n', '20', '-T', '8', ...QUICK, '-q'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(runFolders(cwd)).toEqual([expect.stringMatching(new RegExp(`^torch-cnn-avg_ann\\+snn-if-T8_rate_mnist_n20_${STAMP}$`))]);
    expect(latestOf(cwd)).toBe(runFolders(cwd)[0]);
  });

  it('a NIR run is named after the graph file, its inputs and its step', async () => {
    const cwd = tempDir('names-nir');
    const t = (shape: number[], v: number): NirTensor => ({ shape, data: new Float64Array(shape.reduce((x, y) => x * y, 1)).fill(v) });
    const nodes: [string, NirNode][] = [
      ['in', { type: 'Input', shape: [1] }], ['fc1', { type: 'Linear', weight: t([2, 1], 1) }], ['if1', { type: 'IF', r: t([2], 1), v_threshold: t([2], 1), v_reset: t([2], 0) }],
      ['fc2', { type: 'Linear', weight: t([2, 2], 1) }], ['readout', { type: 'I', r: t([2], 1) }], ['out', { type: 'Output', shape: [2] }],
    ];
    const graph: NirGraph = { nodes: new Map(nodes), edges: [['in', 'fc1'], ['fc1', 'if1'], ['if1', 'fc2'], ['fc2', 'readout'], ['readout', 'out']] };
    writeFileSync(join(cwd, 'my net.nir'), await writeNirBytes(graph, '0.2.0'));
    writeFileSync(join(cwd, 'x.npy'), npy('<f4', [3, 1], f32([1, 1, 1])));
    writeFileSync(join(cwd, 'y.npy'), npy('<i8', [3], le([0, 0, 1], 8, (d, o, x) => d.setBigInt64(o, BigInt(x), true))));
    const r = await runCli(['run', '--nir', 'my net.nir', '--dt', '1', '--inputs', 'x.npy', '--labels', 'y.npy', '-T', '5', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(runFolders(cwd)).toEqual([expect.stringMatching(new RegExp(`^my-net_snn-T5_x_dt1_${STAMP}$`))]);
  });

  it('names stay filesystem-safe and bounded; latest never replaces a user\'s own file or folder', () => {
    const long = runName({ model: 'a/b:c*d'.repeat(30), backends: ['ann-dense', 'ann-quant', 'snn'], timesteps: Array.from({ length: 40 }, (_, i) => i + 1), neuron: 'lif', coding: 'rate' });
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).toMatch(/^[A-Za-z0-9._+-]+$/);
    const dir = tempDir('latest');
    mkdirSync(join(dir, 'run1'));
    mkdirSync(join(dir, 'latest'));
    writeFileSync(join(dir, 'latest', 'mine.txt'), 'keep');
    expect(updateLatest(join(dir, 'run1'))).toEqual({ warning: expect.stringContaining('is not a link joulebench made') });
    expect(readFileSync(join(dir, 'latest', 'mine.txt'), 'utf8')).toBe('keep');
  });
});

describe('progress', () => {
  it('outside a terminal: plain lines with counts, rate and ETA for each configuration, no carriage returns; stdout only the summary', async () => {
    const cwd = tempDir('progress');
    const r = await runCli(['run', '-n', '40', '-T', '4', '8', ...QUICK, '-o', 'out'], cwd, { JOULEBENCH_PROGRESS_DELAY_MS: '0' });
    expect(r.code, r.stderr).toBe(0);
    const progress = r.err.filter((l) => / \d+\/40 samples \(\d+%\)/.test(l));
    for (const id of ['[1/3] ann-dense', '[2/3] snn-if-T4', '[3/3] snn-if-T8']) expect(progress.some((l) => l.startsWith(`${id} `))).toBe(true);
    // a rate, and the time left (or, for work that ended within one report, the time it took)
    expect(progress.every((l) => /samples\/s|s\/sample/.test(l) && /(ETA|in) \S+$/.test(l))).toBe(true);
    expect(progress.some((l) => /ETA \d+s$/.test(l))).toBe(true);
    expect(progress.length).toBeLessThanOrEqual(3 * 11); // at most one line per 10 % of each configuration
    expect(r.stderr).not.toContain('\r');
    expect(r.stdout).not.toMatch(/samples \(\d+%\)/);
  });

  it('--quiet prints no progress (nor any other log line)', async () => {
    const cwd = tempDir('progress-quiet');
    const r = await runCli(['run', '-n', '40', '-T', '4', ...QUICK, '-o', 'out', '-q'], cwd, { JOULEBENCH_PROGRESS_DELAY_MS: '0' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('training reports its steps with the epoch (the MLP trainer, on a few samples)', () => {
    const n = 64;
    const inputs = new Float32Array(n * 4).map((_, i) => ((i * 7) % 5) / 4);
    const train: SampleSet = { id: 'toy/train', count: n, shape: [4], inputs, labels: Uint8Array.from({ length: n }, (_, i) => i % 2), classes: 2 };
    const lines: string[] = [];
    const log = progressLog({ mode: 'plain', line: (l) => lines.push(l), delayMs: 0 });
    const recipe = mlpRecipe({ hidden: [3], epochs: 2, batchSize: 4, learningRate: 0.1, momentum: 0.9, weightDecay: 0, seed: 1 });
    recipe.train({ cacheId: 'toy-mlp', key: 'k', dataset: 'mnist', train, test: train, log });
    const steps = lines.filter((l) => l.startsWith('training toy-mlp '));
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.length).toBeLessThanOrEqual(11);
    expect(steps[0]).toMatch(/^training toy-mlp \d+\/32 steps \(\d+%\), .*ETA \S+, epoch 1\/2$/);
    expect(steps.some((l) => l.endsWith('epoch 2/2'))).toBe(true);
    expect(lines).toContain(lines.find((l) => l.startsWith('  epoch 2/2: loss')));
  });

  it('on a terminal: one line redrawn with carriage returns, cleared before a log line', () => {
    const raw: string[] = [];
    const lines: string[] = [];
    let t = 0;
    const log = progressLog({ mode: 'tty', line: (l) => lines.push(l), raw: (s) => raw.push(s), now: () => t });
    const task = log.progress.task('[1/1] snn-if-T32', 100, 'samples');
    for (let done = 1; done <= 100; done++) {
      t += 50;
      task.update(done);
    }
    task.end();
    log('  snn-if-T32 accuracy 99.00%');
    expect(raw.length).toBeLessThan(60); // redrawn at most every 100 ms
    expect(raw.every((s) => s.startsWith('\r'))).toBe(true);
    expect(raw.at(-2)).toContain('100/100 samples (100%)');
    expect(raw.at(-1)).toBe('\r\x1b[K');
    expect(lines).toEqual(['  snn-if-T32 accuracy 99.00%']);
  });

  it('plain lines: none for quick work, then at most one per 10 % or 30 s', () => {
    const lines: string[] = [];
    let t = 0;
    const log = progressLog({ mode: 'plain', line: (l) => lines.push(l), delayMs: 2000, now: () => t });
    const quick = log.progress.task('quick', 10, 'samples');
    for (let d = 1; d <= 10; d++, t += 100) quick.update(d);
    expect(lines).toEqual([]);
    t = 0;
    const slow = log.progress.task('slow', 1000, 'samples');
    for (let d = 1; d <= 1000; d++, t += 1000) slow.update(d);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThan(50);
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
    expect(progressText('x', 50, 200, 'samples', 10_000)).toBe('x 50/200 samples (25%), 5.0 samples/s, ETA 30s');
  });
});
