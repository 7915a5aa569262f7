// `joulebench seq` end to end (tiny training budgets) and its usage errors; a sequence sweep.
// In process (runCli); the sweep runs with --jobs 2 in a child process (its worker threads load the
// compiled worker).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, isolatedCache, listTree, runCli, tempDir } from './cli-helpers.js';

const TINY = ['--text-steps', '3', '--recall-steps', '3', '--batch', '2', '--context', '16', '--d', '16', '--heads', '2', '--layers', '1', '--mlp-width', '16', '--eval-windows', '2', '--recall-sequences', '2', '--recall-lengths', '16', '24', '--recall-train-lengths', '16', '--lengths', '16', '40', '-q'];

describe('joulebench seq', () => {
  it('prints quality, energy per token vs L, cache shares and crossovers, and writes identical seq.json twice', async () => {
    const cwd = tempDir('seq');
    const args = ['seq', '-f', 'softmax', 'linear', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', 'lemaire-2022', ...TINY];
    const a = await runCli([...args, '-o', 'a'], cwd);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/family\s+kind\s+parameters\s+bits\/char\s+recall L=16\s+recall L=24/);
    expect(a.stdout).toMatch(/softmax\s+16\s+\S+ [nµm]?J\s+\S+ [nµm]?J\s+refused/);
    expect(a.stdout).toMatch(/ann-ideal-reuse-45nm: cheaper than softmax per token — linear (from L=\d+|never)/);
    expect(a.stdout).toMatch(/refused — lemaire-2022: /);
    const b = await runCli([...args, '-o', 'b'], cwd);
    expect(b.code).toBe(0);
    expect(readFileSync(join(cwd, 'b', 'seq.json'), 'utf8')).toBe(readFileSync(join(cwd, 'a', 'seq.json'), 'utf8'));
    const doc = JSON.parse(readFileSync(join(cwd, 'a', 'seq.json'), 'utf8'));
    expect(doc.results.map((r: { family: string }) => r.family)).toEqual(['softmax', 'linear']);
    // the softmax KV cache grows with L, the linear-attention state does not
    const kv = (r: { energy: { L: number; ledger: { layers: { name: string; stores: { operand: string; words: number }[] }[] } }[] }, L: number) =>
      r.energy.find((e) => e.L === L)!.ledger.layers.find((l) => l.name === 'l0.mixer')!.stores.filter((s) => s.operand === 'kv' || s.operand === 'state').reduce((x, s) => x + s.words, 0);
    expect(kv(doc.results[0], 40)).toBe(2 * 41 * 16);
    expect(kv(doc.results[1], 40)).toBe(kv(doc.results[1], 16));
    const csv = readFileSync(join(cwd, 'a', 'energy.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('family,kind,context_length,profile,energy_per_token_j,compute_share,weight_share,kv_share,state_share,refused');
  });

  it('refuses unknown families, tasks and profiles, and widths the heads do not divide, with exit 2 and nothing written', async () => {
    const cwd = tempDir('seq-bad');
    for (const [args, msg] of [
      [['-f', 'transformer-xl'], /--family: unknown family "transformer-xl"; known: softmax, gqa, fox, stick-breaking, linear, gla, mamba, block-sparse, landmark/],
      [['--task', 'translation'], /--task must be text, recall or both, got "translation"/],
      [['-c', 'tpu-v9'], /--cost-model: unknown profile "tpu-v9"/],
      [['--d', '10', '--heads', '4'], /--heads \(4\) must divide --d \(10\)/],
      [['--lengths', '0'], /--lengths must be an integer ≥ 1, got 0/],
      [['--learning-rate', 'NaN'], /--learning-rate must be a finite number, got NaN/],
      [['--recall-lengths', '8'], /recall: length 8 must be an integer ≥ 2·pairs \+ 2·queries = 16/],
    ] as const) {
      const r = await runCli(['seq', ...args, '-o', 'out'], cwd);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    expect(listTree(cwd)).toEqual([]);
  });

  it('runs a sequence sweep over families and context lengths, with bits per character as its quality', () => {
    const cwd = tempDir('seq-sweep');
    writeFileSync(
      join(cwd, 's.yaml'),
      'version: 1\nname: seq-t\nworkload:\n  fixed: { workload: sequence, task: text, d: 16, heads: 2, layers: 1, steps: 2, samples: 1 }\n  grid: { family: [gqa, mamba], context-length: [8, 32] }\nhardware:\n  grid: { profile: [ann-ideal-reuse-45nm] }\n',
    );
    const r = cli(['sweep', 's.yaml', '-o', 'out', '--jobs', '2'], cwd, { JOULEBENCH_CACHE: isolatedCache() });
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(join(cwd, 'out', 'rows.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('workload,samples,family,task,context-length,d,heads,layers,steps,configuration,accuracy,quality_metric,quality,spikes_per_synapse,profile,status,energy_j,compute_j,memory_j,all_in_j,note');
    expect(rows.slice(1).map((l) => l.split(',').slice(2, 5).join(' '))).toEqual(['gqa text 8', 'gqa text 32', 'mamba text 8', 'mamba text 32']);
    for (const l of rows.slice(1)) expect(l).toMatch(/,,bits_per_char,[0-9.]+,,ann-ideal-reuse-45nm,ok,/); // no σ for recorded layers
    const e = (i: number) => Number(rows[i].split(',')[16]);
    expect(e(2)).toBeGreaterThan(e(1)); // the GQA KV cache grows with L
    expect(e(4)).toBeCloseTo(e(3), 12); // the Mamba state does not
    expect(readFileSync(join(cwd, 'out', 'report.html'), 'utf8')).toContain('energy-vs-context');
  });
});
