// Zero-skipping and quantized ANN engines on the 3-4-2 network, against hand computation.
import { describe, expect, it } from 'vitest';
import { createAnn } from '../harness/backends/ann.js';
import { bitsForTimesteps, quantizeModel, quantizeSymmetric, quantizeUnsigned } from '../harness/quantize.js';
import { parseQuantArg } from '../harness/suite.js';
import { TINY_MODEL, computeCount, layerByName, memoryCount, sampleSet } from './fixtures.js';

const input = sampleSet([[1, 0, 0.5]], [0]);

describe('ann-sparse (zero-skipping) on input [1, 0, 0.5]', () => {
  const run = createAnn(TINY_MODEL, { skipZeros: true }).run(input);
  const fc1 = layerByName(run.ledger, 'fc1');
  const fc2 = layerByName(run.ledger, 'fc2');

  it('is identified as ann-sparse and predicts like the dense ANN', () => {
    expect(run.ledger.backend).toMatchObject({ id: 'ann-sparse', family: 'ann', params: { precision: 'fp32', skipZeros: true } });
    expect(Array.from(run.predictions)).toEqual(Array.from(createAnn(TINY_MODEL).run(input).predictions));
  });
  it('performs MACs only for nonzero inputs: 2 × 4 in fc1, 3 × 2 in fc2 (fc1 output [0.85, 0.35, 1.2, 0])', () => {
    expect(computeCount(fc1, 'mac', 'synaptic')).toBe(8);
    expect(computeCount(fc2, 'mac', 'synaptic')).toBe(6);
    expect(memoryCount(fc1, 'weight', 'read')).toBe(8);
    expect(memoryCount(fc1, 'input', 'read')).toBe(8);
  });
  it('pays for zero detection on every input and for the index list', () => {
    expect(computeCount(fc1, 'cmp', 'zero-detect')).toBe(3);
    expect(computeCount(fc2, 'cmp', 'zero-detect')).toBe(4);
    expect(memoryCount(fc1, 'address', 'write')).toBe(2);
    expect(memoryCount(fc1, 'address', 'read')).toBe(8);
    expect(fc1.memory.find((m) => m.operand === 'address')!.bits).toBe(2); // ⌈log2 3⌉
    expect(fc2.memory.find((m) => m.operand === 'address')!.bits).toBe(2); // ⌈log2 4⌉
    expect(memoryCount(fc2, 'address', 'read')).toBe(6);
  });
});

describe('quantization', () => {
  it('symmetric weights: max |w| maps to 2^(b−1) − 1 levels', () => {
    // 8 bits: s = 1.27 / 127 = 0.01 → 0.004 → 0, 0.016 → 0.02, −1.27 stays
    const q = quantizeSymmetric(Float32Array.from([0.004, 0.016, -1.27, 0.5]), 8);
    expect(Array.from(q).map((v) => +v.toFixed(6))).toEqual([0, 0.02, -1.27, 0.5]);
    // 2 bits: one level each side, s = 1.27
    expect(Array.from(quantizeSymmetric(Float32Array.from([0.6, 0.7, -1.27]), 2)).map((v) => +v.toFixed(6))).toEqual([0, 1.27, -1.27]);
  });
  it('unsigned activations: 2 bits over [0, λ = 3] has levels 0, 1, 2, 3 and clamps above', () => {
    const a = Float32Array.from([0.4, 0.6, 2.5, 7, -1]);
    quantizeUnsigned(a, 2, 3);
    expect(Array.from(a)).toEqual([0, 1, 3, 3, 0]);
  });
  it('matches a T-step SNN with ⌈log2(T+1)⌉-bit activations (Yan et al.)', () => {
    expect([1, 3, 4, 7, 8, 15, 16, 32].map(bitsForTimesteps)).toEqual([1, 2, 3, 3, 4, 4, 5, 6]);
  });
  it('parses configurations and refuses malformed ones', () => {
    expect(parseQuantArg('w8a8')).toEqual({ weightBits: 8, actBits: 8 });
    expect(parseQuantArg('w4aT')).toEqual({ weightBits: 4, actBits: 'T' });
    expect(() => parseQuantArg('int8')).toThrow(/w<bits>a<bits>/);
    expect(() => parseQuantArg('w1a8')).toThrow(/weight bits must be at least 2/);
    expect(() => parseQuantArg('w8a40')).toThrow(/activation bits must be an integer in \[1, 16\]/);
  });
});

describe('ann-quant (w8a2) on input [1, 0, 0.5]', () => {
  // λ1 from calibration on the same input: fc1 ReLU outputs [0.85, 0.35, 1.2, 0] → max 1.2
  const q = quantizeModel(TINY_MODEL, input, { weightBits: 8, actBits: 2 }, { kind: 'max' });
  const run = createAnn(TINY_MODEL, { quantized: q }).run(input);
  const fc1 = layerByName(run.ledger, 'fc1');
  const fc2 = layerByName(run.ledger, 'fc2');

  it('records integer ops at their widths and a requantization per output', () => {
    expect(q.actScales[0]).toBeCloseTo(1.2, 6);
    expect(run.ledger.backend).toMatchObject({ id: 'ann-quant', params: { precision: 'w8a2', weightBits: 8, actBits: 2 } });
    const mac = fc1.compute.find((c) => c.op === 'mac')!;
    expect([mac.bits, mac.numeric, mac.count.mean]).toEqual([8, 'int', 12]);
    expect(computeCount(fc1, 'mul', 'requantize')).toBe(4);
    expect(computeCount(fc2, 'mul', 'requantize')).toBeUndefined(); // the read-out keeps accumulator precision
    expect(fc1.memory.find((m) => m.operand === 'input')!.bits).toBe(2);
    expect(fc1.memory.find((m) => m.operand === 'weight')!.bits).toBe(8);
    expect(fc1.memory.find((m) => m.operand === 'output')!.bits).toBe(2);
    expect(fc2.memory.find((m) => m.operand === 'output')!.bits).toBe(32);
    expect(fc1.footprint.weightBits).toBe(12 * 8);
  });
  it('keeps zeros at zero and the prediction of the float network on this input', () => {
    expect(fc1.activity.inputEvents.mean).toBe(2);
    expect(Array.from(run.predictions)).toEqual([0]);
  });
});
