// Sweeps over the non-image workloads: brain models one phase per point, sequence LMs per family,
// task and context length; their quality metric column; and the errors of their keys.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brainOptions } from '../cli/brain.js';
import { planExecution } from '../sweeps/execute.js';
import { listTree, runCli, tempDir } from './cli-helpers.js';

describe('sweep points of brain and sequence workloads', () => {
  it('plans a brain phase with its defaults and refuses unknown phases, workloads and foreign keys', () => {
    // the SOM's declared defaults (10×10 map, all 10,000 test images, seed 1, MNIST), as `joulebench brain som` takes them
    expect(planExecution({ workload: 'brain-som', phase: 'learning', train: 300 }, 'p')).toEqual({ kind: 'brain', workload: 'brain-som', phase: 'learning', options: { dataset: 'mnist', seed: 1, grid: '10x10', train: 300, test: 10000 } });
    expect(planExecution({ workload: 'brain-som', train: 300 }, 'p')).toMatchObject({ options: brainOptions('som', { train: 300 }) });
    // a sweep point of a Hopfield network stores one set of images in one network, without the capacity test
    expect(planExecution({ workload: 'brain-modern-hopfield', patterns: 50, samples: 7 }, 'p')).toMatchObject({ phase: 'recall', options: { alphas: [], patterns: [], memories: [50], probes: 7 } });
    expect(() => planExecution({ workload: 'brain-som', phase: 'storage' }, 'point 3')).toThrow(/point 3: phase "storage" is not a phase of brain-som; use learning, inference/);
    expect(() => planExecution({ workload: 'brain-tsne' }, 'p')).toThrow(/workload "brain-tsne" is not known; brain workloads are brain-hopfield, brain-modern-hopfield, brain-som, brain-stdp, brain-lut/);
    expect(() => planExecution({ workload: 'brain-som', family: 'softmax' }, 'p')).toThrow(/key "family" does not apply to workload brain-som/);
    expect(() => planExecution({ workload: 'mnist-mlp', backend: 'ann-dense', phase: 'learning' }, 'p')).toThrow(/phase applies to the sequence and brain-\* workloads only, not mnist-mlp/);
    expect(() => planExecution({ workload: 'brain-hopfield', patterns: -3 }, 'p')).toThrow(/p: patterns must be an integer in 1…32767, got -3/);
    expect(() => planExecution({ workload: 'brain-som', samples: 20000 }, 'p')).toThrow(/p: samples must be an integer in 1…10000, got 20000/);
  });

  it('refuses an unknown sequence family and a recall context shorter than its pairs and queries', () => {
    expect(() => planExecution({ workload: 'sequence', family: 'transformer-xl' }, 'p')).toThrow(/p: family must name known sequence families \(softmax, .*\), got "transformer-xl"/);
    expect(() => planExecution({ workload: 'sequence', family: 'transformer-xl', layers: 0 }, 'p')).toThrow(/family must name known sequence families/);
    expect(() => planExecution({ workload: 'sequence', family: 'softmax', task: 'both' }, 'p')).toThrow(/p: task must be text or recall, got "both"/);
    expect(() => planExecution({ workload: 'sequence', family: 'softmax', d: 10, heads: 4 }, 'p')).toThrow(/p: heads \(4\) must divide the width d \(10\)/);
  });

  it('runs brain phases as sweep rows with their quality metric, priced per profile', async () => {
    const cwd = tempDir('brain-sweep');
    writeFileSync(
      join(cwd, 's.yaml'),
      `version: 1
name: brain-t
workload:
  fixed: { dataset: mnist, seed: 1 }
  zip:
    workload: [brain-hopfield, brain-som]
    phase: [recall, inference]
    patterns: [3, null]
    train: [null, 100]
    samples: [8, 20]
hardware:
  grid: { profile: [ops-only-45nm] }
`,
    );
    const r = await runCli(['sweep', 's.yaml', '-o', 'out'], cwd);
    expect(r.stdout + r.stderr).toMatch(/wrote 2 rows/);
    expect(r.code).toBe(0);
    const rows = readFileSync(join(cwd, 'out', 'rows.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('workload,samples,seed,phase,dataset,train,patterns,configuration,accuracy,quality_metric,quality,spikes_per_synapse,profile,status,energy_j,compute_j,memory_j,all_in_j,note');
    expect(rows[1]).toMatch(/^brain-hopfield,8,1,recall,mnist,,3,hopfield-recall,[0-9.]+,completion_accuracy,[0-9.]+,/);
    expect(rows[2]).toMatch(/^brain-som,20,1,inference,mnist,100,,som-inference,[0-9.]+,quantisation_error,[0-9.]+,/);
  });

  it('exits 2 naming the point when a sweep has a bad brain key, writing nothing', async () => {
    const cwd = tempDir('brain-sweep-bad');
    writeFileSync(join(cwd, 's.yaml'), 'version: 1\nname: b\nworkload:\n  fixed: { workload: brain-stdp, phase: recall }\nhardware:\n  grid: { profile: [ops-only-45nm] }\n');
    const r = await runCli(['sweep', 's.yaml', '-o', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/workload point 1 .*phase "recall" is not a phase of brain-stdp; use learning, labelling, inference/);
    expect(listTree(cwd)).toEqual(['s.yaml']);
  });
});
