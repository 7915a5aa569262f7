// Building blocks: IDX reader, seeded RNG, breakdown monoid, threshold balancing, HTML escaping.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addBreakdowns, groupEnergyJ, totalEnergyJ } from '../cost-models/energy.js';
import type { EnergyItem } from '../cost-models/energy.js';
import { activationScale, convertToSnn, parseNormMethod } from '../harness/convert.js';
import { encodeIdx, parseIdx } from '../harness/idx.js';
import * as ss from 'simple-statistics';
import { createRng, rngState, rngStateInto } from '../core/rng.js';
import { summarize } from '../core/stats.js';
import { escapeHtml } from '../reports/html.js';
import type { DenseLayer } from '../harness/model.js';
import { TINY_MODEL, sampleSet } from './fixtures.js';

describe('IDX reader', () => {
  const data = Uint8Array.from([0, 1, 2, 3, 4, 5]);
  const bytes = encodeIdx([3, 2], data);

  it('reads dims and data, raw or gzipped', () => {
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 2]);
    for (const b of [bytes, gzipSync(bytes)]) {
      const idx = parseIdx(b);
      expect(idx.dims).toEqual([3, 2]);
      expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });
  it('rejects a bad magic, an unsupported type and a truncated body', () => {
    expect(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), 'f')).toThrow(/f: bad IDX magic/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'f')).toThrow(/element type 0xd is not supported/);
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1), 'f')).toThrow(/declares 6 elements \(3x2\) but 5 bytes follow/);
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'f')).toThrow(/too short/);
  });
});

describe('seeded RNG', () => {
  const draw = (...seed: number[]) => {
    const r = createRng(...seed);
    return Array.from({ length: 5 }, () => r.next());
  };
  it('repeats a stream for the same seed and separates streams by any seed part', () => {
    expect(draw(1, 2)).toEqual(draw(1, 2));
    expect(draw(1, 2)).not.toEqual(draw(1, 3));
    expect(draw(1, 2)).not.toEqual(draw(2, 1));
    for (const x of draw(9)) expect(x >= 0 && x < 1).toBe(true);
  });
  it('is uniform enough: mean of 100k draws within 0.005 of 0.5', () => {
    const r = createRng(42);
    let s = 0;
    for (let i = 0; i < 100_000; i++) s += r.next();
    expect(Math.abs(s / 100_000 - 0.5)).toBeLessThan(0.005);
  });
  it('refuses non-integer seeds', () => expect(() => createRng(1.5)).toThrow(/not an integer/));
  // expected words from an independent Python implementation of the definitions (FNV-1a fold of each
  // seed part's low and high 32 bits, splitmix32 × 4, PractRand's sfc32 with 12 warm-up rounds)
  const reference: [number[], number[], number[]][] = [
    [[42], [1881387706, 2004022811, 500193667, 3509422186], [3099865407, 1422523750, 266983951]],
    [[1, 7], [2197496268, 3587269208, 591765457, 2360189895], [3849988075, 2681982218, 2796347501]],
    [[3, 2 ** 33 + 5], [1379143312, 3865945833, 984646754, 4281805738], [936960291, 4119487319, 4103461272]],
  ];
  it('starts at the state and draws the words of an independent sfc32 implementation', () => {
    for (const [seeds, state, words] of reference) {
      expect(Array.from(rngState(...seeds))).toEqual(state);
      const r = createRng(...seeds);
      expect(words.map(() => r.next())).toEqual(words.map((w) => w / 2 ** 32));
    }
  });
  it('seeds in place (rngStateInto) exactly as rngState, reusing the caller\'s buffer', () => {
    const out = new Uint32Array(4);
    for (const [seeds, state] of reference) {
      expect(rngStateInto(out, seeds)).toBe(out);
      expect(Array.from(out)).toEqual(state);
    }
    expect(() => rngStateInto(out, [0.5])).toThrow(/not an integer/);
  });
});

describe('summaries over samples', () => {
  it('give mean, sample sd, min and max', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: Math.sqrt(32 / 7), min: 2, max: 9 });
    expect(summarize([3])).toEqual({ mean: 3, sd: 0, min: 3, max: 3 });
  });
  it('equal simple-statistics\' mean, sampleStandardDeviation, min and max bit for bit on long series', () => {
    const rng = createRng(11);
    for (const n of [2, 3, 17, 10_000]) {
      const x = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1e9 : 0) + rng.next() * 1e3 - 300);
      const arr = Array.from(x);
      expect(summarize(x)).toEqual({ mean: ss.mean(arr), sd: ss.sampleStandardDeviation(arr), min: ss.min(arr), max: ss.max(arr) });
    }
  });
});

describe('energy breakdowns form a monoid', () => {
  const item = (layerIndex: number, operand: string, energyJ: number, count = 1): EnergyItem => ({ layerIndex, layer: `l${layerIndex}`, component: 'memory', operand, action: 'read', level: 'sram', count, energyJ });
  const a = [item(0, 'weight', 1), item(0, 'input', 2)];
  const b = [item(0, 'weight', 0.5, 3), item(1, 'weight', 4)];
  const c = [item(1, 'weight', 8)];

  it('merges equal keys by adding counts and energies', () => {
    expect(addBreakdowns(a, b)).toEqual([item(0, 'weight', 1.5, 4), item(0, 'input', 2), item(1, 'weight', 4)]);
  });
  it('is associative, has the empty breakdown as identity, and preserves totals', () => {
    expect(addBreakdowns(addBreakdowns(a, b), c)).toEqual(addBreakdowns(a, addBreakdowns(b, c)));
    expect(addBreakdowns(a, [])).toEqual(a);
    expect(addBreakdowns([], a)).toEqual(a);
    expect(totalEnergyJ(addBreakdowns(a, b, c))).toBe(totalEnergyJ(a) + totalEnergyJ(b) + totalEnergyJ(c));
    expect(groupEnergyJ(addBreakdowns(a, b, c), (i) => i.layer)).toEqual(new Map([['l0', 3.5], ['l1', 12]]));
  });
});

describe('ANN→SNN threshold balancing', () => {
  it('takes the max or a nearest-rank percentile of the positive activations', () => {
    const v = Float32Array.from([0, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(activationScale(v, { kind: 'max' })).toBe(10);
    expect(activationScale(v, { kind: 'percentile', percentile: 50 })).toBe(5); // rank ceil(0.5·10) = 5
    expect(activationScale(v, { kind: 'percentile', percentile: 99.9 })).toBe(10);
    expect(activationScale(Float32Array.from([0, -2]), { kind: 'max' })).toBe(1); // a dead layer keeps scale 1
  });
  it('parses max and pNN, and refuses anything else', () => {
    expect(parseNormMethod('max')).toEqual({ kind: 'max' });
    expect(parseNormMethod('p99.9')).toEqual({ kind: 'percentile', percentile: 99.9 });
    expect(() => parseNormMethod('p0')).toThrow(/not known/);
    expect(() => parseNormMethod('median')).toThrow(/not known/);
  });
  it('rescales W_l by λ_{l−1}/λ_l and b_l by 1/λ_l, keeping the read-out scale 1', () => {
    // calibration input [1, 0, 0.5] gives fc1 ReLU outputs [0.85, 0.35, 1.2, 0] → λ1 = max = 1.2
    const snn = convertToSnn(TINY_MODEL, sampleSet([[1, 0, 0.5]], [0]), { kind: 'max' });
    expect(snn.conversion.scales[0]).toBeCloseTo(1.2, 6);
    expect(snn.conversion.scales[1]).toBe(1);
    const [l1, l2] = snn.layers as unknown as { spiking: boolean; layer: DenseLayer }[];
    expect(l1.spiking).toBe(true);
    expect(l2.spiking).toBe(false);
    expect(l1.layer.weight[2]).toBeCloseTo(1.2 / 1.2, 6); // W[0][2] · 1 / 1.2
    expect(l1.layer.bias[1]).toBeCloseTo(0.1 / 1.2, 6);
    expect(l2.layer.weight[4]).toBeCloseTo((0.5 * 1.2) / 1, 6); // W2[2][0] · λ1 / λ2
    expect(l2.layer.bias[1]).toBeCloseTo(0.05, 6);
  });
});

describe('HTML escaping', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  });
});
