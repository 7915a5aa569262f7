// `joulebench brain <hopfield|som|stdp>`: each model runs end to end at a tiny scale, prints its
// quality metric, its ledger and energy per phase, writes a deterministic results.json (kind brain), and refuses
// bad options in one line with exit code 2.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsFile } from '../reports/results-schema.js';
import { runCli, tempDir } from './cli-helpers.js';

const TINY = {
  hopfield: ['--units', '100', '--alphas', '0.05', '0.3', '--capacity-probes', '5', '--patterns', '2', '--memories', '20', '--probes', '5'],
  som: ['--grid', '3x3', '--train', '200', '--test', '100'],
  stdp: ['--neurons', '4', '--train', '10', '--label', '10', '--test', '10', '--steps', '50'],
} as const;

describe('joulebench brain', () => {
  it.each(Object.entries(TINY))('%s: prints its quality metric, the ledger and energy per phase; results.json (kind brain) is deterministic', async (model, args) => {
    const dir = tempDir(`brain-${model}`);
    const a = await runCli(['brain', model, ...args, '-q', '-o', join(dir, 'a')]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/Ledger per phase/);
    expect(a.stdout).toMatch(/Energy per phase/);
    expect(a.stdout).toMatch(/ops-only-45nm/);
    const doc = readResultsFile({ path: join(dir, 'a', 'results.json'), field: 'test', what: 'results' });
    expect(doc.kind).toBe('brain');
    expect(doc.brain!.model).toBe(model);
    const phases = new Set(doc.brain!.phases.map((p) => p.phase));
    const configOf = (id: string) => doc.configurations.find((c) => c.id === id)!;
    if (model === 'hopfield') {
      expect(a.stdout).toMatch(/fixed points/);
      expect([...phases]).toEqual(['storage', 'recall']);
      // one classic network (P = 2), one modern (M = 20), two capacity loads (recall only)
      expect(doc.brain!.phases.map((p) => p.configuration)).toEqual(['classic-P=2-storage', 'classic-P=2-recall', 'modern-M=20-storage', 'modern-M=20-recall', 'capacity-N=100-P-N=0.05-recall', 'capacity-N=100-P-N=0.3-recall']);
    } else if (model === 'som') {
      expect(a.stdout).toMatch(/quantisation error/);
      expect([...phases]).toEqual(['learning', 'inference']);
      expect(configOf('som-3x3-inference').quality!.quantisation_error).toBe((doc.brain!.quality.trained as { quantisationError: number }).quantisationError);
    } else {
      expect(a.stdout).toMatch(/accuracy/);
      expect([...phases]).toEqual(['learning', 'labelling', 'inference']);
      // the learning ledger prices plasticity as its own layer
      expect(configOf('stdp-N=4-learning').ledger.layers.map((l) => l.name)).toEqual(['poisson-encoder', 'excitatory', 'plasticity']);
    }
    // every phase has an energy state for every profile: priced or refused with a reason
    for (const c of doc.configurations) {
      expect(c.energy.length + c.refused.length).toBe(doc.profiles.length);
      for (const r of c.refused) expect(r.reason).not.toBe('');
    }
    // a phase's ledger holds as many samples as the phase says
    for (const p of doc.brain!.phases) expect(configOf(p.configuration).ledger.samples).toBe(p.samples);
    const b = await runCli(['brain', model, ...args, '-q', '-o', join(dir, 'b')]);
    expect(b.code).toBe(0);
    expect(readFileSync(join(dir, 'b', 'results.json'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'results.json'), 'utf8'));
  });

  it.each([
    [['brain', 'boltzmann'], /unknown brain model "boltzmann"; choose one of hopfield, som, stdp/],
    [['brain', 'som', '--neurons', '5'], /--neurons applies to stdp only, not som/],
    [['brain', 'stdp', '--grid', '3x3'], /--grid applies to som only, not stdp/],
    [['brain', 'hopfield', '--noise', '2'], /--noise must be a fraction in \[0, 1\], got 2/],
    [['brain', 'som', '--grid', '10by10'], /--grid must be ROWSxCOLS such as 10x10, got "10by10"/],
    [['brain', 'som', '--dataset', 'cifar'], /--dataset must be one of mnist, fashion-mnist, got "cifar"/],
    [['brain', 'som', '-c', 'nope'], /--cost-model: unknown profile "nope"/],
    [['brain', 'stdp', '--train', '0'], /--train must be an integer in 1…59999, got 0/],
  ])('refuses %j in one line, exit 2', async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.err).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a non-empty --out before any work and leaves it untouched', async () => {
    const dir = join(tempDir('brain-out'), 'full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'x');
    const r = await runCli(['brain', 'som', ...TINY.som, '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/directory exists and is not empty/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
  });
});
