// How sure is an energy, and the SNN-vs-ANN verdict? Every constant carries a low–high range; the
// profile's role-bound constants are varied (coefficients and exponents used exactly stay fixed).
//
//  - Interval bounds: every model is a sum of non-negative counts × products of non-negative constants,
//    so it is non-decreasing in each constant and its range over the box is [E(all low), E(all high)]
//    (checked at run time). The ratio E_SNN/E_ANN is linear-fractional in each constant alone (both
//    energies are affine in it), hence monotone in it, so its extremes over the box lie at vertices:
//    constants only the SNN uses sit at their low (high) end for the lower (upper) bound, those only
//    the ANN uses at the other end, and the vertices of the shared constants are enumerated — exact
//    bounds. Shared constants that move neither energy (bound by the profiles but in no term these
//    ledgers price, e.g. the exp/log/div multiply-add counts of a ledger without those ops) are left
//    out of the enumeration. With more than MAX_SHARED_VERTEX_CONSTANTS shared constants that matter
//    the bound falls back to the outer one, [lo_SNN/hi_ANN, hi_SNN/lo_ANN].
//  - Monte Carlo: each constant drawn from a triangular distribution (low, value, high), a constant
//    shared by both sides drawn once per sample; seeded (core/rng.ts), so results are reproducible.
//  - Verdict: SNN cheaper / ANN cheaper only when the whole ratio interval lies on one side of 1.
//  - Tornado: each constant alone at its low and its high end, the others at their values; ranked by
//    how far it moves the ratio, and whether it flips the verdict.
import { createRng } from '../core/rng.js';
import type { Rng } from '../core/rng.js';
import type { Ledger } from '../core/ledger.js';
import type { Constant } from './constants.js';
import type { HardwareProfile } from './profile.js';
import { costModelFor } from './registry.js';

/** The profile with every role-bound constant's SI value replaced by `pick(constant)`. */
export function withConstantValues(profile: HardwareProfile, pick: (c: Constant) => number): HardwareProfile {
  const constants: Record<string, Constant> = {};
  for (const [role, c] of Object.entries(profile.constants)) constants[role] = { ...c, valueSI: pick(c) };
  return { ...profile, constants };
}

export function varyingConstants(...profiles: readonly HardwareProfile[]): Constant[] {
  const all = new Map<string, Constant>();
  for (const p of profiles) for (const c of Object.values(p.constants)) if (c.lowSI < c.highSI) all.set(c.id, c);
  return [...all.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A draw from the triangular distribution (low, mode, high) by inverting its CDF. */
export function triangular(rng: Rng, low: number, mode: number, high: number): number {
  if (high <= low) return mode;
  const u = rng.next();
  const f = (mode - low) / (high - low);
  return u < f ? low + Math.sqrt(u * (high - low) * (mode - low)) : high - Math.sqrt((1 - u) * (high - low) * (high - mode));
}

/** Linear-interpolation quantile (R type 7) of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface Quantiles {
  readonly p05: number;
  readonly p50: number;
  readonly p95: number;
}

function quantiles(values: number[]): Quantiles {
  const s = [...values].sort((a, b) => a - b);
  return { p05: quantileSorted(s, 0.05), p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95) };
}

export interface MonteCarloOptions {
  readonly samples: number;
  readonly seed: number;
}

/** A stable 32-bit stream id for a string (FNV-1a), so each analysis draws its own reproducible stream. */
export function streamId(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const priceWith = (ledger: Ledger, profile: HardwareProfile): number => costModelFor(profile).price(ledger, profile).totalJ;

export interface TotalUncertainty {
  readonly lowJ: number;
  readonly highJ: number;
  /** Monte Carlo quantiles; null when no Monte Carlo samples were asked for. */
  readonly monteCarlo: Quantiles | null;
}

/** Interval bounds of one total, checked against its nominal value (the monotonicity the bounds rely on). */
export function totalBounds(ledger: Ledger, profile: HardwareProfile, nominalJ = priceWith(ledger, profile)): { lowJ: number; highJ: number } {
  const lowJ = priceWith(ledger, withConstantValues(profile, (c) => c.lowSI));
  const highJ = priceWith(ledger, withConstantValues(profile, (c) => c.highSI));
  const tol = 1e-9 * Math.abs(nominalJ);
  if (!(lowJ <= nominalJ + tol && nominalJ <= highJ + tol)) {
    throw new Error(`profile ${profile.id}: the total is not monotone in its constants (low ${lowJ}, nominal ${nominalJ}, high ${highJ}); interval bounds would be wrong`);
  }
  return { lowJ, highJ };
}

export function totalUncertainty(ledger: Ledger, profile: HardwareProfile, mc: MonteCarloOptions, key: string): TotalUncertainty {
  const { lowJ, highJ } = totalBounds(ledger, profile);
  if (mc.samples === 0) return { lowJ, highJ, monteCarlo: null };
  const rng = createRng(mc.seed, streamId(key));
  const varying = varyingConstants(profile);
  const values: number[] = [];
  for (let s = 0; s < mc.samples; s++) {
    const draw = new Map(varying.map((c) => [c.id, triangular(rng, c.lowSI, c.valueSI, c.highSI)]));
    values.push(priceWith(ledger, withConstantValues(profile, (c) => draw.get(c.id) ?? c.valueSI)));
  }
  return { lowJ, highJ, monteCarlo: quantiles(values) };
}

export type Verdict = 'snn-cheaper' | 'ann-cheaper' | 'uncertain';

export interface TornadoBar {
  readonly constant: string;
  /** The ratio with this constant at its low end (others at their values). */
  readonly ratioAtLow: number;
  readonly ratioAtHigh: number;
  /** |ratioAtHigh − ratioAtLow|. */
  readonly swing: number;
  /** True when one end of this constant alone puts the ratio on the other side of 1. */
  readonly flipsVerdict: boolean;
}

export const MAX_SHARED_VERTEX_CONSTANTS = 12;

export interface PairUncertainty {
  /** E_SNN / E_ANN at the constants' values. */
  readonly ratio: number;
  readonly interval: {
    readonly snnJ: readonly [number, number];
    readonly annJ: readonly [number, number];
    readonly ratio: readonly [number, number];
    /** True: the ratio's exact range over the box (vertex enumeration); false: the outer bound. */
    readonly ratioExact: boolean;
  };
  readonly monteCarlo: { readonly samples: number; readonly snnJ: Quantiles; readonly annJ: Quantiles; readonly ratio: Quantiles; readonly pSnnCheaper: number } | null;
  /** From the interval: the verdict that holds over the whole range of every constant, else uncertain. */
  readonly verdict: Verdict;
  readonly tornado: readonly TornadoBar[];
}

export function pairUncertainty(
  snn: { ledger: Ledger; profile: HardwareProfile },
  ann: { ledger: Ledger; profile: HardwareProfile },
  mc: MonteCarloOptions,
  key: string,
): PairUncertainty {
  const snnJ = priceWith(snn.ledger, snn.profile);
  const annJ = priceWith(ann.ledger, ann.profile);
  const ratio = snnJ / annJ;
  const s = totalBounds(snn.ledger, snn.profile, snnJ);
  const a = totalBounds(ann.ledger, ann.profile, annJ);
  const varying = varyingConstants(snn.profile, ann.profile);
  const at = (draw: (c: Constant) => number): [number, number] => [priceWith(snn.ledger, withConstantValues(snn.profile, draw)), priceWith(ann.ledger, withConstantValues(ann.profile, draw))];
  const snnIds = new Set(varyingConstants(snn.profile).map((c) => c.id));
  const annIds = new Set(varyingConstants(ann.profile).map((c) => c.id));
  // each constant alone at its low and its high end (the tornado, and which constants matter at all)
  const ends = new Map(varying.map((k) => [k.id, { low: at((c) => (c.id === k.id ? c.lowSI : c.valueSI)), high: at((c) => (c.id === k.id ? c.highSI : c.valueSI)) }]));
  const moves = (id: string): boolean => {
    const e = ends.get(id)!;
    return e.low[0] !== snnJ || e.low[1] !== annJ || e.high[0] !== snnJ || e.high[1] !== annJ;
  };
  const sharedIds = new Set(varying.filter((c) => snnIds.has(c.id) && annIds.has(c.id)).map((c) => c.id));
  const shared = varying.filter((c) => sharedIds.has(c.id) && moves(c.id));
  const ratioExact = shared.length <= MAX_SHARED_VERTEX_CONSTANTS;
  let ratioBounds: readonly [number, number] = [s.lowJ / a.highJ, s.highJ / a.lowJ];
  if (ratioExact) {
    const extreme = (upper: boolean): number => {
      let best = upper ? -Infinity : Infinity;
      for (let mask = 0; mask < 2 ** shared.length; mask++) {
        const sharedHigh = new Set(shared.filter((_, i) => (mask >> i) & 1).map((c) => c.id));
        const [e1, e2] = at((c) => {
          if (shared.some((x) => x.id === c.id)) return sharedHigh.has(c.id) ? c.highSI : c.lowSI;
          if (sharedIds.has(c.id)) return c.valueSI; // shared but in no priced term: any value gives the same energies
          const high = snnIds.has(c.id) === upper; // SNN-only: high for the upper bound; ANN-only: the reverse
          return high ? c.highSI : c.lowSI;
        });
        best = upper ? Math.max(best, e1 / e2) : Math.min(best, e1 / e2);
      }
      return best;
    };
    ratioBounds = [extreme(false), extreme(true)];
  }
  const interval = { snnJ: [s.lowJ, s.highJ] as const, annJ: [a.lowJ, a.highJ] as const, ratio: ratioBounds, ratioExact };
  const verdict: Verdict = interval.ratio[1] < 1 ? 'snn-cheaper' : interval.ratio[0] > 1 ? 'ann-cheaper' : 'uncertain';
  const tornado = varying
    .map((k) => {
      const [sl, al] = ends.get(k.id)!.low;
      const [sh, ah] = ends.get(k.id)!.high;
      const lo = sl / al;
      const hi = sh / ah;
      return { constant: k.id, ratioAtLow: lo, ratioAtHigh: hi, swing: Math.abs(hi - lo), flipsVerdict: (lo < 1) !== (ratio < 1) || (hi < 1) !== (ratio < 1) };
    })
    .sort((x, y) => y.swing - x.swing || (x.constant < y.constant ? -1 : 1));
  let monteCarlo: PairUncertainty['monteCarlo'] = null;
  if (mc.samples > 0) {
    const rng = createRng(mc.seed, streamId(key));
    const ss: number[] = [];
    const as: number[] = [];
    const rs: number[] = [];
    let cheaper = 0;
    for (let i = 0; i < mc.samples; i++) {
      const draw = new Map(varying.map((c) => [c.id, triangular(rng, c.lowSI, c.valueSI, c.highSI)]));
      const [e1, e2] = at((c) => draw.get(c.id) ?? c.valueSI);
      ss.push(e1);
      as.push(e2);
      rs.push(e1 / e2);
      if (e1 < e2) cheaper++;
    }
    monteCarlo = { samples: mc.samples, snnJ: quantiles(ss), annJ: quantiles(as), ratio: quantiles(rs), pSnnCheaper: cheaper / mc.samples };
  }
  return { ratio, interval, monteCarlo, verdict, tornado };
}
