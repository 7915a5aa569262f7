// The MNIST MLP run through all seven kinds of profile from the CLI: every total with bounds and
// Monte Carlo quantiles, the default pairs with per-layer σ* and verdict intervals, printed and recorded
// (with every constant the pricing used), and the same bytes twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { parseResultsDoc } from '../reports/results-schema.js';
import type { MainResult } from './cli-helpers.js';
import { runCli, tempDir } from './cli-helpers.js';

const ALL = builtinProfileIds();
const ANN_ONLY = ['ann-no-reuse-45nm', 'eyeriss-rs-65nm', 'eyeriss-ws-65nm', 'ann-ideal-reuse-45nm', 'hala-point-dnn', 'northpole'];
const SNN_ONLY = ['neuromorphic-core-45nm', 'hala-point', 'loihi', 'odin', 'spinnaker-1', 'spinnaker-2', 'truenorth'];

describe('joulebench run with every built-in profile', () => {
  const dir = tempDir('all-profiles');
  const args = ['run', '-n', '60', '-T', '4', '8', '--calibration-samples', '300', '--mc-samples', '64', '-c', ...ALL, '-o'];
  let first: MainResult;
  let second: MainResult;
  beforeAll(async () => {
    first = await runCli([...args, join(dir, 'a')], dir);
    second = await runCli([...args, join(dir, 'b')], dir);
  });

  it('succeeds and prints the σ* table and the verdict intervals', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/break-even: σ = spikes per synapse/);
    const key = /(P\d+) = SNN\s+neuromorphic-core-45nm vs ANN ann-ideal-reuse-45nm/.exec(first.stdout)?.[1];
    expect(key).toBeDefined();
    expect(first.stdout).toMatch(new RegExp(`^${key}\\s+fc1\\s+\\S+ / \\S+`, 'm'));
    expect(first.stdout).toMatch(/verdict intervals/);
  });

  it('records every total with bounds, the default pairs, and σ* per layer', () => {
    const doc = parseResultsDoc(JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8')));
    expect(ALL).toHaveLength(15); // 2 literature + 5 hardware-aware (2 Eyeriss dataflows) + 6 neuromorphic chips + 2 ANN accelerators
    for (const c of doc.configurations) {
      for (const e of c.energy) {
        expect(e.uncertainty.lowJ).toBeLessThanOrEqual(e.totalJ);
        expect(e.totalJ).toBeLessThanOrEqual(e.uncertainty.highJ);
        expect(e.uncertainty.monteCarlo!.p05).toBeGreaterThanOrEqual(e.uncertainty.lowJ);
      }
      // hardware-aware profiles price one family each; the others refuse with a reason
      const refused = c.refused.map((r) => r.profile).sort();
      expect(refused).toEqual((c.backend.family === 'ann' ? SNN_ONLY : ANN_ONLY).slice().sort());
    }
    // lemaire and ops-only with themselves, every SNN-only profile with every ANN-only one, for T = 4 and 8
    expect(doc.analysis.settings.pairs).toHaveLength(2 + SNN_ONLY.length * ANN_ONLY.length);
    expect(doc.analysis.pairs).toHaveLength(2 * doc.analysis.settings.pairs.length);
    for (const p of doc.analysis.pairs) {
      expect(p.breakEven.layers.map((l) => l.layer)).toEqual(['fc1', 'fc2']);
      for (const l of p.breakEven.layers) expect(l.sigmaStar).not.toBeNull();
      const u = p.uncertainty;
      expect(u.interval.ratio[0]).toBeLessThanOrEqual(u.monteCarlo!.ratio.p05);
      expect(u.monteCarlo!.ratio.p95).toBeLessThanOrEqual(u.interval.ratio[1]);
    }
    // every constant any profile used is recorded with its provenance
    const recorded = new Set(doc.constants.map((c) => c.id));
    for (const id of ALL) for (const c of Object.values(getProfile(id).constants)) expect(recorded.has(c.id), `${id}: ${c.id}`).toBe(true);
    expect(recorded.has('stillmaker-baas-2017/65nm-a')).toBe(true); // Eyeriss scales 45 nm → 65 nm
  });

  it('is deterministic: same arguments, same bytes', () => {
    expect(second.code).toBe(0);
    expect(readFileSync(join(dir, 'b', 'results.json'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'results.json'), 'utf8'));
  });

  it('refuses a pair given in the wrong order, with one line and exit code 2', async () => {
    const r = await runCli(['run', '-n', '20', '-T', '4', '--calibration-samples', '100', '-c', 'neuromorphic-core-45nm', 'ann-ideal-reuse-45nm', '--pair', 'ann-ideal-reuse-45nm:neuromorphic-core-45nm', '-q', '-o', join(dir, 'c')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^joulebench: error: --pair ann-ideal-reuse-45nm:neuromorphic-core-45nm: ann-ideal-reuse-45nm priced no SNN configuration/);
  });
});
