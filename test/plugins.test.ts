// Options declared once (workloads/plugin.ts): the command's flags and the sweep keys are generated
// from one declaration per family, so a default and a check are the same on the command line and in a
// sweep point. Expected defaults are the documented ones (README, sweeps/README.md), stated here by hand.
import { describe, expect, it } from 'vitest';
import { brainOptions } from '../cli/brain.js';
import { studyOptions } from '../cli/seq.js';
import { planExecution } from '../sweeps/execute.js';
import { BRAIN_KEYS, IMAGE_KEYS, SEQUENCE_KEYS } from '../sweeps/keys.js';
import { BRAIN_PLUGINS } from '../workloads/brain/plugins.js';
import { IMAGE_CONFIGURATION } from '../workloads/image-options.js';
import { kebab, parseOptions, sweepKeys } from '../workloads/plugin.js';
import { SEQUENCE_OPTIONS } from '../workloads/sequence/options.js';
import { cli, tempDir } from './cli-helpers.js';

describe('one declaration per family: flags, sweep keys, defaults, checks', () => {
  it('image configurations: run and a sweep point take the same defaults (10,000 test and calibration samples, p99.9, seed 1, IF with subtraction, the workload\'s coding)', () => {
    const run = parseOptions(IMAGE_CONFIGURATION, {}, (k) => `--${k}`);
    expect(run).toEqual({ samples: 10000, norm: 'p99.9', calibrationSamples: 10000, neuron: 'if', reset: 'subtract', beta: undefined, alpha: undefined, refractory: 0, coding: undefined, seed: 1 });
    const point = planExecution({ workload: 'mnist-lenet5', backend: 'snn', timesteps: 8 }, 'p');
    expect(point).toMatchObject({ samples: 10000, calibrationSamples: 10000, norm: 'p99.9', seed: 1, spec: { neuron: { model: 'if', reset: 'subtract', beta: 1, alpha: 0, refractory: 0 }, coding: 'rate' } });
    // the same check, named as each place names it
    expect(() => parseOptions(IMAGE_CONFIGURATION, { samples: 0 }, (k) => `--${kebab(k)}`)).toThrow('--samples must be a positive integer, got 0; give a whole number ≥ 1');
    expect(() => planExecution({ workload: 'mnist-mlp', backend: 'ann-dense', samples: 0 }, 'point 2')).toThrow('point 2: samples must be a positive integer, got 0; give a whole number ≥ 1');
    expect(() => planExecution({ workload: 'mnist-mlp', backend: 'ann-dense', 'calibration-samples': 2.5 }, 'p')).toThrow('p: calibration-samples must be a positive integer, got 2.5');
  });

  it('every declared sweep key is a sweep key of its workloads, and every flag of run, seq and brain --help comes with its declared default', () => {
    for (const k of sweepKeys(IMAGE_CONFIGURATION.options).keys()) expect(IMAGE_KEYS).toContain(k);
    for (const k of sweepKeys(SEQUENCE_OPTIONS).keys()) if (k !== 'seed') expect(SEQUENCE_KEYS).toContain(k);
    for (const p of BRAIN_PLUGINS.values()) for (const k of sweepKeys(p.options).keys()) expect(BRAIN_KEYS).toContain(k);
    const help = cli(['brain', 'som', '--help'], tempDir('help')).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--grid som: map size ROWSxCOLS (default 10x10)');
    expect(help).toContain('--test som: test images (default 10000); stdp: test images (default 1000); lut: held-out characters evaluated (default 20000)');
    const seq = cli(['seq', '--help'], tempDir('help')).stdout.replace(/\s+/g, ' ');
    expect(seq).toContain('-L, --lengths context lengths L at which a decode step is priced (default 64 256 1024 4096)');
    const run = cli(['run', '--help'], tempDir('help')).stdout.replace(/\s+/g, ' ');
    expect(run).toContain('--beta membrane decay per step (default 1 for if, 0.9 for lif and cuba)');
  });

  it('brain and sequence: the CLI and a sweep point fill in the same defaults', () => {
    expect(brainOptions('stdp', {})).toEqual({ dataset: 'mnist', seed: 1, neurons: 100, steps: 350, train: 5000, label: 1000, test: 1000 });
    expect(planExecution({ workload: 'brain-stdp' }, 'p')).toMatchObject({ phase: 'inference', options: brainOptions('stdp', {}) });
    const o = studyOptions({ options: {}, force: false });
    const point = planExecution({ workload: 'sequence', family: 'gla' }, 'p');
    expect(point).toMatchObject({ d: o.d, heads: o.heads, layers: o.layers, seed: o.seed, task: 'text', steps: o.textSteps, samples: o.evalWindows, contextLength: o.context });
    expect([o.d, o.heads, o.layers, o.textSteps, o.recallSteps, o.context]).toEqual([64, 4, 2, 300, 400, 64]);
  });
});
