// `joulebench seq` end to end (tiny training budgets) and its usage errors; a sequence sweep.
// In process (runCli); the sweep runs with --jobs 2 in a child process (its worker threads load the
// compiled worker).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsFile } from '../reports/results-schema.js';
import { cli, isolatedCache, listTree, runCli, tempDir } from './cli-helpers.js';

const TINY = ['--text-steps', '3', '--recall-steps', '3', '--batch', '2', '--context', '16', '--d', '16', '--heads', '2', '--layers', '1', '--mlp-width', '16', '--eval-windows', '2', '--recall-sequences', '2', '--recall-lengths', '16', '24', '--recall-train-lengths', '16', '--lengths', '16', '40', '-q'];

describe('joulebench seq', () => {
  it('prints quality, energy per token vs L, cache shares and crossovers, and writes identical results.json (kind sequence, one configuration per family × L) twice', async () => {
    const cwd = tempDir('seq');
    const args = ['seq', '-f', 'softmax', 'linear', '-c', 'ops-only-45nm', 'ann-ideal-reuse-45nm', 'lemaire-2022', ...TINY];
    const a = await runCli([...args, '-o', 'a'], cwd);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/family\s+kind\s+parameters\s+bits\/char\s+recall L=16\s+recall L=24\s+quality floor/);
    // the zero-mixer ablation runs although not asked for: it sets the quality floor
    expect(a.stdout).toMatch(/\nzero\s+ann\s+\d+\s+[0-9.]+\s+[0-9.]+%\s+[0-9.]+%\s+ablation\n/);
    expect(a.stdout).toMatch(/\n  softmax is below the floor: |\nsoftmax\s+ann\s+\d+\s+[0-9.]+\s+[0-9.]+%\s+[0-9.]+%\s+meets\n/);
    expect(a.stdout).toMatch(/quality floor: bits\/char ≤ [0-9.]+ and recall ≥ [0-9.]+% at L=16, [0-9.]+% at L=24 — the zero-mixer ablation's quality improved by 0.05 bits\/char and 5.0 points of recall/);
    // energy beside quality: bits/char, recall at L (evaluated at 16, not at 40), the floor's verdict
    expect(a.stdout).toMatch(/softmax\s+16\s+[0-9.]+\s+[0-9.]+%\s+(ok|BELOW)\s+\S+ [nµm]?J\s+\S+ [nµm]?J\s+refused/);
    expect(a.stdout).toMatch(/softmax\s+40\s+[0-9.]+\s+–\s+(ok|BELOW)\s+\S+ [nµm]?J/);
    expect(a.stdout).toMatch(/At matched quality/);
    expect(a.stdout).toMatch(/ann-ideal-reuse-45nm, L=40: /);
    expect(a.stdout).toMatch(/ann-ideal-reuse-45nm: cheaper than softmax per token — linear (from L=\d+|never)/);
    expect(a.stdout).toMatch(/refused — lemaire-2022: /);
    const b = await runCli([...args, '-o', 'b'], cwd);
    expect(b.code).toBe(0);
    expect(readFileSync(join(cwd, 'b', 'results.json'), 'utf8')).toBe(readFileSync(join(cwd, 'a', 'results.json'), 'utf8'));
    const doc = readResultsFile({ path: join(cwd, 'a', 'results.json'), field: 'test', what: 'results' });
    expect(doc.kind).toBe('sequence');
    expect(doc.sequence!.families.map((r) => r.family)).toEqual(['softmax', 'linear', 'zero']);
    expect(doc.configurations.map((c) => c.id)).toEqual(['softmax-L16', 'softmax-L40', 'linear-L16', 'linear-L40', 'zero-L16', 'zero-L40']);
    // the floor: the ablation's bits/char − 0.05 and recall + 0.05; each family flagged where it falls short
    const seq = doc.sequence!;
    const zero = seq.families[2];
    expect(seq.floor!.bitsPerChar).toBeCloseTo(zero.text!.bitsPerChar - 0.05, 12);
    expect(seq.floor!.recall.map((r) => r.L)).toEqual([16, 24]);
    expect(zero.belowFloor).toEqual(["the zero-mixer ablation (the floor's reference)"]);
    for (const f of seq.families.slice(0, 2)) {
      const textShort = f.text!.bitsPerChar > zero.text!.bitsPerChar - 0.05;
      const recallShort = f.recall!.byLength.filter((r, i) => r.accuracy < zero.recall!.byLength[i].accuracy + 0.05).length;
      expect(f.belowFloor!.length, f.family).toBe((textShort ? 1 : 0) + recallShort);
      expect(doc.configurations.find((c) => c.id === `${f.family}-L16`)!.labels!.floor).toBe(f.belowFloor!.length > 0 ? 'below' : 'meets');
    }
    expect(doc.configurations.find((c) => c.id === 'zero-L40')!.labels!.floor).toBe('ablation');
    // matched quality: per profile that priced the steps and L, a front of families that meet the floor, cheaper ones predicting worse
    expect(seq.matched!.map((m) => `${m.profile} ${m.L}`)).toEqual(['ops-only-45nm 16', 'ops-only-45nm 40', 'ann-ideal-reuse-45nm 16', 'ann-ideal-reuse-45nm 40', 'lemaire-2022 16', 'lemaire-2022 40']);
    for (const m of seq.matched!) {
      for (const e of m.front) expect(seq.families.find((f) => f.family === e.family)!.belowFloor).toEqual([]);
      m.front.slice(1).forEach((e, i) => {
        expect(e.energyJ).toBeGreaterThanOrEqual(m.front[i].energyJ);
        expect(e.bitsPerChar).toBeLessThan(m.front[i].bitsPerChar);
      });
    }
    expect(seq.matched!.filter((m) => m.profile === 'lemaire-2022').every((m) => m.front.length === 0)).toBe(true); // it refuses every step
    expect(doc.configurations[0].quality).toEqual({ bits_per_char: doc.sequence!.families[0].text!.bitsPerChar, recall_accuracy: doc.sequence!.families[0].recall!.byLength[0].accuracy });
    expect(doc.configurations[0].refused.map((r) => r.profile)).toEqual(['lemaire-2022']);
    // the softmax KV cache grows with L (K and V of 16 dims for L + 1 positions), the linear-attention state does not
    const kv = (id: string) =>
      doc.configurations.find((c) => c.id === id)!.ledger.layers.find((l) => l.name === 'l0.mixer')!.stores!.filter((s) => s.operand === 'kv' || s.operand === 'state').reduce((x, s) => x + s.words, 0);
    expect(kv('softmax-L40')).toBe(2 * 41 * 16);
    expect(kv('linear-L40')).toBe(kv('linear-L16'));
    const csv = readFileSync(join(cwd, 'a', 'energy.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('family,kind,context_length,bits_per_char,recall_accuracy,quality_floor,profile,energy_per_token_j,compute_share,weight_share,kv_share,state_share,refused');
    expect(csv.find((l) => l.startsWith('zero,ann,40,'))).toMatch(new RegExp(`^zero,ann,40,${zero.text!.bitsPerChar},,ablation,ops-only-45nm,`));
  });

  it('refuses unknown families, tasks and profiles, and widths the heads do not divide, with exit 2 and nothing written', async () => {
    const cwd = tempDir('seq-bad');
    for (const [args, msg] of [
      [['-f', 'transformer-xl'], /--family must name known sequence families \(softmax, gqa, fox, fox-acp, stick-breaking, linear, gla, mamba, mamba2, block-sparse, landmark, .*\), got "transformer-xl"/],
      [['--task', 'translation'], /--task must be one of text, recall, both, got "translation"/],
      [['-c', 'tpu-v9'], /--cost-model: unknown profile "tpu-v9"/],
      [['--d', '10', '--heads', '4'], /--heads \(4\) must divide the width d \(10\)/],
      [['--lengths', '0'], /--lengths must be an integer ≥ 1, got 0/],
      [['--learning-rate', 'NaN'], /--learning-rate must be a finite number, got NaN/],
      [['--bpc-margin', '-1'], /--bpc-margin must be a number of bits per character in \[0, 8\), got -1/],
      [['--recall-margin', '2'], /--recall-margin must be a fraction in \[0, 1\], got 2/],
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
