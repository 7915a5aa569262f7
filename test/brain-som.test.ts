// Self-organising map (issue 8): a 2×2 map on 2-d inputs worked by hand — BMU, neighbourhood
// update, schedule, metrics and every ledger count.
import { describe, expect, it } from 'vitest';
import type { SampleSet } from '../harness/data.js';
import type { Som } from '../workloads/brain/som.js';
import { adjacent, evaluateSom, findBmu, gridD2, labelUnits, somInferencePhase, trainSom, updateSom } from '../workloads/brain/som.js';
import { countTable } from '../core/ledger.js';

/** Units 0 (0,0), 1 (0,1), 2 (1,0), 3 (1,1) with prototypes at the corners of the unit square. */
const square = (): Som => ({ rows: 2, cols: 2, dim: 2, w: Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]) });
const f32 = (v: number) => Math.fround(v);

describe('2×2 SOM on 2-d inputs, by hand', () => {
  it('grid distances and 8-neighbour adjacency: diagonal units are adjacent (D² = 2), a unit is not its own neighbour', () => {
    const som = square();
    expect([gridD2(som, 0, 0), gridD2(som, 0, 1), gridD2(som, 0, 2), gridD2(som, 0, 3)]).toEqual([0, 1, 1, 2]);
    expect(adjacent(som, 0, 3)).toBe(true);
    expect(adjacent(som, 0, 0)).toBe(false);
    const wide: Som = { rows: 1, cols: 3, dim: 1, w: new Float32Array(3) };
    expect(adjacent(wide, 0, 2)).toBe(false);
  });

  it('x = (0.2, 0.1): squared distances (0.05, 0.65, 0.85, 1.45) → BMU unit 0, second unit 1; ties go to the lower index', () => {
    const r = findBmu(square(), [0.2, 0.1]);
    expect(r.best).toBe(0);
    expect(r.second).toBe(1);
    expect(r.bestD2).toBeCloseTo(0.05, 12);
    expect(r.secondD2).toBeCloseTo(0.65, 12);
    expect(findBmu(square(), [0.5, 0]).best).toBe(0); // 0.25 from units 0 and 1
  });

  it('update at α = 0.5, σ = 1: h = exp(−D²/2) = (1, e^−½, e^−½, e^−1); w_m += α·h_m·(x − w_m), all 4 units inside 3σ', () => {
    const som = square();
    const k = updateSom(som, [0.2, 0.1], 0, 0.5, 1, 3);
    expect(k).toBe(4);
    const g1 = 0.5 * Math.exp(-0.5);
    const g3 = 0.5 * Math.exp(-1);
    expect(Array.from(som.w)).toEqual([0.1, 0.05, 1 + g1 * (0.2 - 1), g1 * 0.1, g1 * 0.2, 1 + g1 * (0.1 - 1), 1 + g3 * (0.2 - 1), 1 + g3 * (0.1 - 1)].map(f32));
  });

  it('σ = 0.4 truncates at D ≤ 3σ = 1.2: the diagonal unit (D² = 2 > 1.44) is not updated, K = 3', () => {
    const som = square();
    expect(updateSom(som, [0.2, 0.1], 0, 0.5, 0.4, 3)).toBe(3);
    expect(Array.from(som.w.subarray(6))).toEqual([1, 1]);
  });

  it('learning ledger per training input (M = 4, d = 2), by hand for two steps with K = 4 then K = 3', () => {
    const som = square();
    // two samples, one decay step between them: (α, σ) = (0.5, 1) for the first, (0.25, 0.4) for the second
    const phase = trainSom(som, [[0.2, 0.1], [0.9, 0.9]], { alpha0: 0.5, alphaEnd: 0.25, sigma0: 1, sigmaEnd: 0.4, cutoff: 3 });
    expect(phase.phase).toBe('learning');
    const [bmu, upd] = phase.ledger.layers;
    expect(countTable(bmu)).toEqual({
      'add/fp32/distance': 8, // M·d subtracts
      'mac/fp32/synaptic': 8, // M·d squares accumulated
      'cmp/fp32/bmu': 4,
      'weight/read/32': 8,
      'input/read/32': 8,
      'output/write/32': 1,
    });
    expect(bmu.geometry).toMatchObject({ kind: 'som', fanIn: 2, weightCount: 8, neurons: 4 });
    // sample 1: K = 4 (σ = 1); sample 2: BMU is unit 3 and σ = 0.4, so unit 0 (D² = 2) is skipped: K = 3. Mean K = 3.5
    expect(upd.activity.updates.min).toBe(3);
    expect(upd.activity.updates.max).toBe(4);
    expect(countTable(upd)).toEqual({
      'mul/fp32/schedule': 4,
      'div/fp32/schedule': 1,
      'cmp/fp32/neighbourhood': 4,
      'mul/fp32/neighbourhood': 7, // 2·K
      'exp/fp32/neighbourhood': 3.5,
      'add/fp32/plasticity': 7, // K·d
      'mac/fp32/plasticity': 7,
      'lut_row/read/8': 4,
      'weight/read/32': 7,
      'input/read/32': 7,
      'weight/write/32': 7,
    });
    // the same two steps by hand: after the first, unit 3 ≈ (0.853, 0.834) is nearest (0.9, 0.9)
    const fresh = square();
    updateSom(fresh, [0.2, 0.1], 0, 0.5, 1, 3);
    expect(findBmu(fresh, [0.9, 0.9]).best).toBe(3);
    updateSom(fresh, [0.9, 0.9], 3, 0.25, 0.4, 3);
    expect(Array.from(som.w)).toEqual(Array.from(fresh.w));
  });

  it('inference ledger: the BMU search alone, per test input', () => {
    const phase = somInferencePhase(square(), 3);
    expect(phase.ledger.samples).toBe(3);
    expect(phase.ledger.layers).toHaveLength(1);
    expect(countTable(phase.ledger.layers[0])['mac/fp32/synaptic']).toBe(8);
  });

  it('quantisation error, topographic error and majority labels, by hand', () => {
    const som = square();
    const set: SampleSet = { id: 'toy/test', count: 3, shape: [2], classes: 2, inputs: Float32Array.from([0.2, 0.1, 0.9, 0.8, 0.5, 0.5]), labels: Uint8Array.from([0, 1, 1]) };
    const labels = labelUnits(som, set, 3);
    // (0.2, 0.1) → unit 0 (label 0); (0.9, 0.8) → unit 3 (label 1); (0.5, 0.5) is equidistant from all: unit 0 wins the tie, a 1–1 vote → label 0
    expect(Array.from(labels)).toEqual([0, -1, -1, 1]);
    const q = evaluateSom(som, set, 3, labels);
    // QE: (√0.05 + √(0.01 + 0.04) + √0.5) / 3; second BMUs: unit 1 (0.65), unit 1 (0.65 < 0.85 < 1.45), unit 1 (first of the 0.5 ties): all adjacent
    expect(q.quantisationError).toBeCloseTo((Math.sqrt(0.05) + Math.sqrt(0.05) + Math.sqrt(0.5)) / 3, 6);
    expect(q.topographicError).toBe(0);
    expect(q.accuracy).toBeCloseTo(2 / 3, 12); // (0.5, 0.5) labelled 1, its unit says 0
    expect(q.unlabelledUnits).toBe(2);
  });

  it('a 1×3 map reports a topographic error when the two best units are not neighbours', () => {
    const line: Som = { rows: 1, cols: 3, dim: 1, w: Float32Array.from([0, 1, 0.1]) };
    const set: SampleSet = { id: 'toy', count: 1, shape: [1], classes: 1, inputs: Float32Array.from([0.04]), labels: Uint8Array.from([0]) };
    expect(evaluateSom(line, set, 1, Int32Array.from([0, 0, 0])).topographicError).toBe(1);
  });

  it('refuses a bad schedule or input width in one line', () => {
    expect(() => trainSom(square(), [[0, 0]], { alpha0: 0, alphaEnd: 0.1, sigma0: 1, sigmaEnd: 1, cutoff: 3 })).toThrow(/alpha0 must be a positive number/);
    expect(() => trainSom(square(), [[0, 0, 0]])).toThrow(/input 0 has 3 values; the map has 2/);
  });
});
