// An accuracy near chance (a model run on data it does not fit) gets a warning and flagged verdicts,
// instead of confident energy verdicts about a model that does not work. Thresholds by hand from
// reports/quality.ts's rule: chance c = 1/K plus max(3·√(c(1−c)/n), c/2).
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nearChance } from '../reports/quality.js';
import { runCli, tempDir } from './cli-helpers.js';

describe('nearChance', () => {
  it('10 classes on 10,000 samples: below 15 % (3σ = 0.9 points is less than half of chance, 5 points)', () => {
    expect(nearChance(0.149, 10, 10000)).toBe(true);
    expect(nearChance(0.151, 10, 10000)).toBe(false);
  });
  it('2 classes on 3 samples: 3σ = 86.6 points is capped at halfway to perfect, so below 75 %; 2 of 2 right is not near chance', () => {
    expect(nearChance(2 / 3, 2, 3)).toBe(true);
    expect(nearChance(1, 2, 2)).toBe(false);
  });
  it('10 classes on 20 samples: below 30.12 % (3σ = 3·√(0.09/20) = 20.12 points)', () => {
    expect(nearChance(0.30, 10, 20)).toBe(true);
    expect(nearChance(0.302, 10, 20)).toBe(false);
  });
  it('2 classes on 100 samples: below 75 % (half of chance, 25 points, above 3σ = 15 points)', () => {
    expect(nearChance(0.749, 2, 100)).toBe(true);
    expect(nearChance(0.751, 2, 100)).toBe(false);
  });
});

describe('run: a model on data it was not trained for', () => {
  it('an MNIST CNN on Fashion-MNIST: one warning per configuration, "(near chance)" in the summary, flagged verdicts in the terminal and the report', async () => {
    const cwd = tempDir('near-chance');
    const onnx = resolve(import.meta.dirname, 'fixtures', 'onnx', 'torch-cnn-avg.onnx');
    const r = await runCli(['run', '--onnx', onnx, '--dataset', 'fashion-mnist', '-n', '300', '-T', '4', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q', '-o', 'out'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('joulebench: warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^joulebench: warning: ann-dense: accuracy \d+\.\d\d% is near chance \(10\.00% for 10 classes on 300 samples\)/);
    expect(r.stdout).toMatch(/^ann-dense\s+\d+\.\d\d% \(near chance\)/m);
    expect(r.stdout.replace(/\n {2}/g, ' ')).toMatch(/ops-only-45nm vs ops-only-45nm: FLAGGED \(snn-if-T4 and ann-dense are near chance accuracy; the verdict says nothing\): /);
    const doc = JSON.parse(readFileSync(join(cwd, 'out', 'results.json'), 'utf8')) as { workload: { classes: number } };
    expect(doc.workload.classes).toBe(10);
    expect(readFileSync(join(cwd, 'out', 'report.html'), 'utf8')).toContain('FLAGGED (snn-if-T4 and ann-dense are near chance accuracy; the verdict says nothing)');
  });

  it('the same CNN on MNIST: the ANN is not flagged; its SNN converted at T = 4 is (8 % on these 300 images), at T = 32 it is not', async () => {
    const cwd = tempDir('not-chance');
    const onnx = resolve(import.meta.dirname, 'fixtures', 'onnx', 'torch-cnn-avg.onnx');
    const r = await runCli(['run', '--onnx', onnx, '--dataset', 'mnist', '-n', '300', '-T', '4', '32', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q', '-o', 'out'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^joulebench: warning: snn-if-T4: accuracy \d+\.\d\d% is near chance/)]);
    expect(r.stdout).toMatch(/^ann-dense\s+\d+\.\d\d%\s/m);
    expect(r.stdout).toMatch(/^snn-if-T32\s+\d+\.\d\d%\s/m);
    // the verdict at matched accuracy is about T = 32, not flagged
    expect(r.stdout).not.toContain('FLAGGED');
  });
});
