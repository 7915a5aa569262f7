// Interval bounds, seeded Monte Carlo, verdict and tornado: by hand on the ops-only estimate, and the
// property the issue asks for on every hardware-aware model: the interval bounds contain the Monte
// Carlo quantiles.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { Constant } from '../cost-models/constants.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { pairUncertainty, quantileSorted, totalUncertainty, triangular, withConstantValues } from '../cost-models/uncertainty.js';
import { CONV, FC, annLayer, handLedger, roundProfile, snnLayer } from './cost-fixtures.js';

const snnFc = handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]);
const annFc = handLedger('ann', 1, [annLayer(FC, 2, 6)]);
const snnConv = handLedger('snn', 4, [snnLayer(CONV, 4, { inputEvents: 20, outputEvents: 5, synOps: 90, updates: 32 })]);
const annConv = handLedger('ann', 1, [annLayer(CONV, 10, 45)]);
const mc = { samples: 400, seed: 11 };

describe('ops-only pair by hand: ratio = 15 ACs × E_AC / (12 MACs × E_MAC)', () => {
  const ops = getProfile('ops-only-45nm'); // E_MAC 4.6 pJ [3.68, 5.52], E_AC 0.9 pJ [0.72, 1.08]
  const u = pairUncertainty({ ledger: snnFc, profile: ops }, { ledger: annFc, profile: ops }, mc, 'hand');

  it('nominal ratio and interval', () => {
    expect(u.ratio).toBeCloseTo((15 * 0.9) / (12 * 4.6), 12);
    expect(u.interval.ratio[0]).toBeCloseTo((15 * 0.72) / (12 * 5.52), 12);
    expect(u.interval.ratio[1]).toBeCloseTo((15 * 1.08) / (12 * 3.68), 12);
    expect(u.verdict).toBe('snn-cheaper'); // 0.163 – 0.367: below 1 over the whole range
  });

  it('tornado: E_MAC moves the ratio most (0.306 ↔ 0.204), then E_AC (0.196 ↔ 0.293); neither flips the verdict', () => {
    expect(u.tornado.map((t) => t.constant)).toEqual(['horowitz-45nm/fp32-mac', 'horowitz-45nm/fp32-add']);
    expect(u.tornado[0].ratioAtLow).toBeCloseTo(13.5 / (12 * 3.68), 12);
    expect(u.tornado[0].ratioAtHigh).toBeCloseTo(13.5 / (12 * 5.52), 12);
    expect(u.tornado[1].swing).toBeCloseTo((15 * (1.08 - 0.72)) / (12 * 4.6), 12);
    expect(u.tornado.some((t) => t.flipsVerdict)).toBe(false);
  });

  it('Monte Carlo is seeded: the same seed gives the same quantiles, another seed others', () => {
    const again = pairUncertainty({ ledger: snnFc, profile: ops }, { ledger: annFc, profile: ops }, mc, 'hand');
    expect(again.monteCarlo).toEqual(u.monteCarlo);
    const other = pairUncertainty({ ledger: snnFc, profile: ops }, { ledger: annFc, profile: ops }, { ...mc, seed: 12 }, 'hand');
    expect(other.monteCarlo!.ratio.p50).not.toBe(u.monteCarlo!.ratio.p50);
    expect(u.monteCarlo!.pSnnCheaper).toBe(1);
  });
});

describe('interval bounds contain the Monte Carlo quantiles', () => {
  const core = roundProfile('neuromorphic-core', '\n  fifoEntries: { value: 1000, unit: entries, source: t }');
  const cases = [
    ['round core vs round ideal, FC', snnFc, core, annFc, roundProfile('ann-ideal-reuse')],
    ['round core vs round no-reuse, conv', snnConv, core, annConv, roundProfile('ann-no-reuse')],
    ['built-in core vs ideal, conv', snnConv, getProfile('neuromorphic-core-45nm'), annConv, getProfile('ann-ideal-reuse-45nm')],
    ['Loihi vs Eyeriss, FC', snnFc, getProfile('loihi'), annFc, getProfile('eyeriss-rs-65nm')],
    ['lemaire vs lemaire, FC', snnFc, getProfile('lemaire-2022'), annFc, getProfile('lemaire-2022')],
  ] as const;
  for (const [name, snn, sp, ann, ap] of cases) {
    it(name, () => {
      const u = pairUncertainty({ ledger: snn, profile: sp }, { ledger: ann, profile: ap }, mc, name);
      const m = u.monteCarlo!;
      for (const [[lo, hi], q] of [[u.interval.snnJ, m.snnJ], [u.interval.annJ, m.annJ], [u.interval.ratio, m.ratio]] as const) {
        expect(lo).toBeLessThanOrEqual(q.p05);
        expect(q.p05).toBeLessThanOrEqual(q.p50);
        expect(q.p50).toBeLessThanOrEqual(q.p95);
        expect(q.p95).toBeLessThanOrEqual(hi);
      }
      expect(u.interval.ratio[0]).toBeLessThanOrEqual(u.ratio);
      expect(u.ratio).toBeLessThanOrEqual(u.interval.ratio[1]);
      // the verdict follows the interval
      expect(u.verdict).toBe(u.interval.ratio[1] < 1 ? 'snn-cheaper' : u.interval.ratio[0] > 1 ? 'ann-cheaper' : 'uncertain');
      const t = totalUncertainty(snn, sp, mc, `${name}/total`);
      expect(t.lowJ).toBeLessThanOrEqual(t.monteCarlo!.p05);
      expect(t.monteCarlo!.p95).toBeLessThanOrEqual(t.highJ);
    });
  }

  it('the bounds are the model evaluated at every constant low and every constant high', () => {
    const p = getProfile('neuromorphic-core-45nm');
    const t = totalUncertainty(snnConv, p, { samples: 0, seed: 1 }, 'x');
    const price = (pick: (c: Constant) => number) => COST_MODELS.get('neuromorphic-core')!.price(snnConv, withConstantValues(p, pick)).totalJ;
    expect(t.monteCarlo).toBeNull();
    expect(t.lowJ).toBe(price((c) => c.lowSI));
    expect(t.highJ).toBe(price((c) => c.highSI));
    expect(t.lowJ).toBeLessThan(price((c) => c.valueSI));
    expect(price((c) => c.valueSI)).toBeLessThan(t.highJ);
  });
});

describe('ratio bounds are exact over the box of constants', () => {
  /** Brute force: the ratio at every vertex of every constant either side uses (shared ones drawn once). */
  const vertexRange = (snn: typeof snnFc, sp: ReturnType<typeof getProfile>, ann: typeof annFc, ap: ReturnType<typeof getProfile>) => {
    // the exp/log/div multiply-add counts and Loihi's learning figure price no term of these ledgers (no such ops, no learning)
    const unused = (id: string) => id.startsWith('op-equivalents/') || id === 'chips/loihi-synaptic-update';
    const all = [...new Map([...Object.values(sp.constants), ...Object.values(ap.constants)].filter((c) => c.lowSI < c.highSI && !unused(c.id)).map((c) => [c.id, c])).values()];
    let lo = Infinity;
    let hi = -Infinity;
    for (let mask = 0; mask < 2 ** all.length; mask++) {
      const pick = (c: Constant) => { const i = all.findIndex((x) => x.id === c.id); return i < 0 ? c.valueSI : (mask >> i) & 1 ? c.highSI : c.lowSI; };
      const r = COST_MODELS.get(sp.model)!.price(snn, withConstantValues(sp, pick)).totalJ / COST_MODELS.get(ap.model)!.price(ann, withConstantValues(ap, pick)).totalJ;
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    }
    return [lo, hi];
  };

  it('shared constants (Lemaire on both sides): the bounds are the extreme vertices, tighter than the outer bound', () => {
    const p = getProfile('lemaire-2022');
    const u = pairUncertainty({ ledger: snnFc, profile: p }, { ledger: annFc, profile: p }, { samples: 0, seed: 1 }, 'v');
    const [lo, hi] = vertexRange(snnFc, p, annFc, p);
    expect(u.interval.ratioExact).toBe(true);
    expect(u.interval.ratio[0]).toBeCloseTo(lo, 12);
    expect(u.interval.ratio[1]).toBeCloseTo(hi, 12);
    expect(u.interval.ratio[0]).toBeGreaterThan(u.interval.snnJ[0] / u.interval.annJ[1]);
    expect(u.interval.ratio[1]).toBeLessThan(u.interval.snnJ[1] / u.interval.annJ[0]);
  });

  it('no shared constants (Loihi vs Eyeriss): the exact bounds equal the outer bound', () => {
    const sp = getProfile('loihi');
    const ap = getProfile('eyeriss-rs-65nm');
    const u = pairUncertainty({ ledger: snnFc, profile: sp }, { ledger: annFc, profile: ap }, { samples: 0, seed: 1 }, 'w');
    const [lo, hi] = vertexRange(snnFc, sp, annFc, ap);
    expect(u.interval.ratio[0]).toBeCloseTo(lo, 12);
    expect(u.interval.ratio[1]).toBeCloseTo(hi, 12);
    expect(u.interval.ratio[0]).toBeCloseTo(u.interval.snnJ[0] / u.interval.annJ[1], 12);
  });
});

describe('sampling helpers', () => {
  it('triangular draws stay in [low, high] and centre on (low + mode + high) / 3', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, () => triangular(rng, 1, 2, 6));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(6);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(3, 1);
    expect(triangular(rng, 2, 2, 2)).toBe(2);
  });
  it('quantiles interpolate linearly (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([0, 10], 0.05)).toBeCloseTo(0.5, 12);
  });
});
