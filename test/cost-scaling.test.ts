// Technology scaling (Stillmaker & Baas 2017) against the reference's computed factors, and refusals.
import { describe, expect, it } from 'vitest';
import { OutOfRangeError } from '../cost-models/model.js';
import { energyPolynomial, scaleFactor, scalingNodes, widthFactor } from '../cost-models/scaling.js';
import { builtinConstants } from '../cost-models/constants.js';

describe('Stillmaker–Baas node scaling', () => {
  it('holds the ten nodes of the coefficient table', () => {
    expect(scalingNodes()).toEqual([130, 90, 65, 45, 32, 20, 16, 14, 10, 7]);
    expect(builtinConstants().get('stillmaker-baas-2017/energy-45nm-b')!.value).toBe(-0.362);
  });
  it('gives the factors relative to 45 nm at 0.8 V of energy-models.md §3.2', () => {
    const at = (n: number) => scaleFactor({ nodeNm: 45, vddV: 0.8 }, { nodeNm: n, vddV: 0.8 }).factor;
    const published: [number, number][] = [[130, 3.07], [65, 1.24], [32, 0.659], [20, 0.221], [16, 0.174], [14, 0.139], [10, 0.118], [7, 0.094]];
    for (const [n, f] of published) expect(at(n), `${n} nm`).toBeCloseTo(f, f < 0.2 ? 3 : 2);
    expect(scaleFactor({ nodeNm: 45, vddV: 1.0 }, { nodeNm: 7, vddV: 1.0 }).factor).toBeCloseTo(0.109, 3);
  });
  it('evaluates a·V² + b·V + c by hand at 45 nm, 0.9 V', () => {
    expect(energyPolynomial(45, 0.9)).toBeCloseTo(1.103 * 0.81 - 0.362 * 0.9 + 0.2767, 12);
  });
  it('refuses nodes outside the table and voltages outside its band instead of extrapolating', () => {
    expect(() => scaleFactor({ nodeNm: 45, vddV: 0.9 }, { nodeNm: 22, vddV: 0.9 })).toThrow(OutOfRangeError);
    expect(() => scaleFactor({ nodeNm: 45, vddV: 0.9 }, { nodeNm: 22, vddV: 0.9 })).toThrow(/22 nm is not in the Stillmaker–Baas table/);
    expect(() => energyPolynomial(7, 1.8)).toThrow(/1.8 V is outside the scaling model's range/);
  });
  it('scales access energy with word width', () => {
    expect(widthFactor(8, 64)).toBe(0.125);
    expect(() => widthFactor(0, 64)).toThrow(OutOfRangeError);
  });
});
