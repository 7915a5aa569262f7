// The multiply-add counts of exp, log and division (cost-models/tech/op-equivalents.yaml) against the
// code they are read from: each algorithm written out here with every floating-point multiply and add
// counted, checked to compute its function, and its counts compared with the constant's value or ends.
// Integer work (floor, frexp, exponent adds, table indexing) is not counted, as in the YAML.
import { describe, expect, it } from 'vitest';
import { builtinConstant } from '../cost-models/constants.js';
import { techOf } from '../cost-models/tech.js';
import { roundProfile } from './cost-fixtures.js';

/** A counting scalar arithmetic: m(a, b) = a·b, a(a, b) = a + b (a subtraction is an add). */
function counter() {
  const n = { mul: 0, add: 0 };
  return { n, m: (x: number, y: number) => (n.mul++, x * y), a: (x: number, y: number) => (n.add++, x + y) };
}

/** Cephes expf (Moshier, Cephes Math Library 2.2): Cody–Waite reduction and a degree-5 polynomial. */
function cephesExpf(x: number) {
  const { n, m, a } = counter();
  const C1 = 0.693359375;
  const C2 = -2.1219444e-4;
  const z0 = Math.floor(a(m(1.44269504088896341, x), 0.5)); // floorf(LOG2EF·x + 0.5)
  x = a(x, -m(z0, C1));
  x = a(x, -m(z0, C2));
  const z = m(x, x);
  let p = 1.98756915e-4;
  for (const c of [1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) p = a(m(p, x), c);
  const y = a(a(m(p, z), x), 1);
  return { value: y * 2 ** z0, ops: n }; // ldexpf: an exponent add, not counted
}

/** ARM optimized-routines expf (glibc, musl): x·N/ln2 rounded by a shift, a degree-3 polynomial, a 32-entry table of 2^(i/N). */
function armExpf(x: number) {
  const { n, m, a } = counter();
  const N = 32;
  const SHIFT = 1.5 * 2 ** 52;
  const ln2 = Math.LN2;
  const C = [ln2 ** 3 / 6 / N ** 3, ln2 ** 2 / 2 / N ** 2, ln2 / N]; // the minimax coefficients are within 1e-9 of these
  const z = m(Math.LOG2E * N, x);
  const shifted = a(z, SHIFT);
  const kd = a(shifted, -SHIFT);
  const r = a(z, -kd);
  const s = 2 ** ((((kd % N) + N) % N) / N) * 2 ** Math.floor(kd / N); // table read + exponent add: not counted
  const zz = a(m(C[0], r), C[1]);
  const r2 = m(r, r);
  let y = a(m(C[2], r), 1);
  y = a(m(zz, r2), y);
  return { value: m(y, s), ops: n };
}

/** Cephes logf: frexp, x − 1 (or 2x − 1 below √½), a degree-8 polynomial, the exponent terms. */
function cephesLogf(x0: number) {
  const { n, m, a } = counter();
  let e = Math.floor(Math.log2(x0)) + 1; // frexp: x0 = x·2^e with x in [0.5, 1)
  let x = x0 / 2 ** e;
  if (x < Math.SQRT1_2) {
    e -= 1;
    x = a(a(x, x), -1);
  } else x = a(x, -1);
  const z = m(x, x);
  let y = 7.0376836292e-2;
  for (const c of [-1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]) y = a(m(y, x), c);
  y = m(m(y, x), z);
  y = a(y, m(-2.1219444e-4, e));
  y = a(y, m(-0.5, z));
  let r = a(x, y);
  r = a(r, m(0.693359375, e));
  return { value: r, ops: n };
}

/** a / b as a Newton–Raphson reciprocal (sse2neon's _mm_div_ps on ARMv7): an 8-bit estimate, `steps` refinements r ← r·(2 − b·r), then a·r. */
function newtonDiv(a0: number, b: number, steps: number) {
  const { n, m, a } = counter();
  const e = Math.floor(Math.log2(1 / b));
  let r = (Math.round((1 / b / 2 ** e) * 256) / 256) * 2 ** e; // vrecpe: a table estimate, not counted
  for (let i = 0; i < steps; i++) r = m(r, a(2, -m(b, r)));
  return { value: m(a0, r), ops: n };
}

const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);
const XS = [-5.3, -0.7, 0.01, 0.4, 1.9, 7.25];

describe('exp: Cephes expf is 10 multiplies and 10 adds (the value), the table-driven expf 6 and 6 (the low end)', () => {
  const k = builtinConstant('op-equivalents/exp-macs');
  it('Cephes expf computes exp to fp32 accuracy with 10 + 10 ops', () => {
    for (const x of XS) {
      const r = cephesExpf(x);
      expect(rel(r.value, Math.exp(x))).toBeLessThan(2e-7);
      expect(r.ops).toEqual({ mul: 10, add: 10 });
    }
    expect(k.value).toBe(10);
    expect(k.unit).toBe('xMAC');
  });
  it('ARM optimized-routines expf computes exp with 6 + 6 ops (and one table read)', () => {
    for (const x of XS) {
      const r = armExpf(x);
      expect(rel(r.value, Math.exp(x))).toBeLessThan(1e-8);
      expect(r.ops).toEqual({ mul: 6, add: 6 });
    }
    expect(k.low).toBe(6);
    expect(k.high).toBeGreaterThanOrEqual(k.value);
  });
});

describe('log: Cephes logf is 14 multiplies and 14 adds (the value)', () => {
  it('computes log to fp32 accuracy with 14 multiplies and 14 adds when the mantissa is below √½ (2m − 1), 13 otherwise (m − 1)', () => {
    // x = m·2^e: 0.3 = 0.6·2^−1, 1234.5 = 0.603·2^11 (below √½); 3 = 0.75·2^2, 2.6e−5 = 0.852·2^−15 (above)
    for (const [x, adds] of [[0.3, 14], [3, 13], [1234.5, 14], [2.6e-5, 13]]) {
      const r = cephesLogf(x);
      expect(Math.abs(r.value - Math.log(x))).toBeLessThan(2e-7 * Math.max(1, Math.abs(Math.log(x))));
      expect(r.ops).toEqual({ mul: 14, add: adds });
    }
    const k = builtinConstant('op-equivalents/log-macs');
    expect(k.value).toBe(14);
    expect(k.low).toBe(6); // ARM optimized-routines logf: 6 multiplies, 6 adds, a 16-entry table (counted in the YAML's range source)
  });
});

describe('division: two Newton–Raphson refinements and a multiply are 5 multiplies and 2 adds (the value, counted as 5 multiply-adds)', () => {
  const k = builtinConstant('op-equivalents/div-macs');
  it('two refinements reach fp32 accuracy: 5 multiplies, 2 adds', () => {
    for (const [a, b] of [[1, 3], [-7.5, 0.013], [2e5, 77.7]]) {
      const r = newtonDiv(a, b, 2);
      expect(rel(r.value, a / b)).toBeLessThan(6e-8);
      expect(r.ops).toEqual({ mul: 5, add: 2 });
    }
    expect(k.value).toBe(Math.max(5, 2));
  });
  it('one refinement (sse2neon’s default, ~16 bits) is the low end: 3 multiplies, 1 add', () => {
    const r = newtonDiv(1, 3, 1);
    expect(rel(r.value, 1 / 3)).toBeLessThan(2e-5);
    expect(r.ops).toEqual({ mul: 3, add: 1 });
    expect(k.low).toBe(3);
  });
});

describe('tech.opJ prices exp, log and div as k MACs of their type and width', () => {
  // round technology: fp add 1, fp mult 4, int add 0.5, int mult 2 pJ at 32 bits; adders scale linearly, multipliers quadratically
  const tech = techOf(roundProfile('ann-ideal-reuse', '', '\n  expMacs: op-equivalents/exp-macs\n  logMacs: op-equivalents/log-macs\n  divMacs: op-equivalents/div-macs'));
  it('fp32 exp 10 × 5 = 50 pJ, fp16 exp 10 × (4/4 + 1/2) = 15 pJ, int32 div 5 × 2.5 = 12.5 pJ, fp32 log 14 × 5 = 70 pJ', () => {
    expect(tech.opJ('exp', 'fp', 32)).toBeCloseTo(50e-12, 24);
    expect(tech.opJ('exp', 'fp', 16)).toBeCloseTo(15e-12, 24);
    expect(tech.opJ('div', 'int', 32)).toBeCloseTo(12.5e-12, 24);
    expect(tech.opJ('log', 'fp', 32)).toBeCloseTo(70e-12, 24);
  });
});
