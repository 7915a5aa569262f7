// σ* by hand on one FC and one conv layer, the affine energy-vs-σ line, and the sanity check against
// the published band (Dampfhoffer et al. 2023: SNNs compete between 0.15 and 1.38 spikes per synapse;
// under ideal ANN reuse conv layers break even well below one spike per synapse, FC layers near one).
import { describe, expect, it } from 'vitest';
import { breakEven } from '../cost-models/break-even.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import type { Conv2dLayer } from '../harness/model.js';
import { layerGeometry } from '../harness/layers.js';
import { CONV, FC, annLayer, handLedger, roundProfile, snnLayer } from './cost-fixtures.js';
import { dense } from './fixtures.js';

const sram = (words: number) => (0.001 * words * 32 + 10) / 2; // pJ per 32-bit word (round technology)
const ideal = roundProfile('ann-ideal-reuse');
const core = roundProfile('neuromorphic-core', '\n  fifoEntries: { value: 1000, unit: entries, source: t }');

describe('σ* by hand (round technology, ann-ideal-reuse vs neuromorphic-core)', () => {
  it('FC layer 4→3: σ* = (E_ANN − F) / (N·m)', () => {
    const annJ = 6 * 5 + 12 * sram(12) + 4 * sram(4) + 3 * sram(3) + 3 * sram(3) + 3 + 3; // 148.848 pJ
    const fifo = ((0.001 * 2000 + 10) * 2) / 64;
    const m = sram(12) + 2 * sram(3) + 1 + 0.5 * (2 / 32) + fifo / 3; // weight, V read+write, AC, address, 1/3 of an event read
    const snnJ = 5 * fifo + 15 * (sram(12) + 2 * sram(3) + 1 + 0.5 * (2 / 32)) + 6 * 3 * sram(3) + 14 + 2 * fifo;
    const fixed = snnJ - 15 * m;
    const sigmaStar = (annJ - fixed) / (12 * m);
    expect(sigmaStar).toBeCloseTo(0.21909, 4);
    const be = breakEven(
      { ledger: handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]), profile: core },
      { ledger: handLedger('ann', 1, [annLayer(FC, 2, 6)]), profile: ideal },
    );
    const l = be.layers[0];
    expect(l.sigma).toBe(15 / 12);
    expect(l.annJ).toBeCloseTo(annJ * 1e-12, 22);
    expect(l.snnJ).toBeCloseTo(snnJ * 1e-12, 22);
    expect(l.snnFixedJ).toBeCloseTo(fixed * 1e-12, 22);
    expect(l.snnPerSigmaJ).toBeCloseTo(12 * m * 1e-12, 22);
    expect(l.sigmaStar!).toBeCloseTo(sigmaStar, 10);
    expect(l.never).toBe(false);
    // at σ* the line meets the ANN
    expect(l.snnFixedJ + l.sigmaStar! * l.snnPerSigmaJ).toBeCloseTo(l.annJ, 22);
    expect(be.network.sigmaStar).toBeCloseTo(sigmaStar, 10); // one synaptic layer: network = layer
    expect(be.network.activityScaleStar).toBeCloseTo(sigmaStar / (15 / 12), 10);
  });

  it('conv layer 1→2, 4×4, 3×3: σ* by hand, and the line is exact (repricing at another activity lands on it)', () => {
    const annJ = 45 * 5 + 18 * sram(18) + 16 * sram(16) + 8 * sram(2) + 8 * sram(8) + 16;
    const fifoIn = ((0.001 * 1000 * 4 + 10) * 4) / 64;
    const fifoOut = ((0.001 * 1000 * 3 + 10) * 3) / 64;
    const perSop = sram(18) + 2 * sram(8) + 1 + 0.5 * (3 / 32);
    const m = perSop + fifoIn / 4.5; // mean fan-out of an input = 72 / 16
    const snnAt = (events: number, sops: number) => events * fifoIn + sops * perSop + 16 * (2 * sram(8) + sram(2)) + 16 + 16 + 3 + 3 * fifoOut;
    const fixed = snnAt(12, 54) - 54 * m; // = the σ-independent part, since 54 SOP = 12 events × 4.5
    const sigmaStar = (annJ - fixed) / (72 * m);
    const snnLedger = handLedger('snn', 2, [snnLayer(CONV, 2, { inputEvents: 12, outputEvents: 3, synOps: 54, updates: 16 })]);
    const be = breakEven({ ledger: snnLedger, profile: core }, { ledger: handLedger('ann', 1, [annLayer(CONV, 10, 45)]), profile: ideal });
    // the observed SOP (54 = 12 events × 4.5) enters only through F; σ* does not depend on it
    expect(be.layers[0].sigmaStar!).toBeCloseTo(sigmaStar, 10);
    const at = (events: number) => COST_MODELS.get('neuromorphic-core')!.price(handLedger('snn', 2, [snnLayer(CONV, 2, { inputEvents: events, outputEvents: 3, synOps: events * 4.5, updates: 16 })]), core).totalJ;
    const l = be.layers[0];
    expect(at(20)).toBeCloseTo(l.snnFixedJ + ((20 * 4.5) / 72) * l.snnPerSigmaJ, 22);
  });

  it('a layer whose fixed SNN costs exceed the ANN never breaks even (σ* = 0)', () => {
    const heavy = handLedger('snn', 200, [snnLayer(FC, 200, { inputEvents: 1, outputEvents: 0, synOps: 3, updates: 600 })]);
    const be = breakEven({ ledger: heavy, profile: core }, { ledger: handLedger('ann', 1, [annLayer(FC, 2, 6)]), profile: ideal });
    expect(be.layers[0]).toMatchObject({ sigmaStar: 0, never: true });
    expect(be.network.never).toBe(true);
  });

  it('refuses mismatched layers and an SNN model without a marginal', () => {
    const snn = handLedger('snn', 2, [snnLayer(FC, 2, { inputEvents: 5, outputEvents: 2, synOps: 15, updates: 6 })]);
    expect(() => breakEven({ ledger: snn, profile: core }, { ledger: handLedger('ann', 1, [annLayer(CONV, 10, 45)]), profile: ideal })).toThrow(/do not have the same layers/);
    expect(() => breakEven({ ledger: handLedger('ann', 1, [annLayer(FC, 2, 6)]), profile: core }, { ledger: handLedger('ann', 1, [annLayer(FC, 2, 6)]), profile: ideal })).toThrow(OutOfRangeError);
  });
});

describe('sanity against the published band (built-in 45 nm profiles, fp32)', () => {
  // A VGG-like conv layer (64→64, 3×3, 32×32, padding 1) and an MNIST-sized FC layer (784→256);
  // the ANN's inputs are half zero; the SNN runs T = 8 with 10% output rate.
  const conv: Conv2dLayer = { ...CONV, name: 'conv', inChannels: 64, outChannels: 64, inputHW: [32, 32], padding: [1, 1], weight: new Float32Array(36864), bias: new Float32Array(64) };
  const fc = dense('fc', 784, 256, [], [], 'relu');
  const sigmaStarOf = (layer: typeof fc | Conv2dLayer) => {
    const g = layerGeometry(layer);
    const inputs = g.inputShape.reduce((a, b) => a * b, 1);
    const T = 8;
    const events = 0.5 * inputs * T * 0.25;
    const snn = handLedger('snn', T, [snnLayer(layer, T, { inputEvents: events, outputEvents: 0.1 * g.neurons * T, synOps: events * g.fanOut, updates: g.neurons * T })]);
    const ann = handLedger('ann', 1, [annLayer(layer, inputs / 2, g.denseSynOps / 2)]);
    return breakEven({ ledger: snn, profile: getProfile('neuromorphic-core-45nm') }, { ledger: ann, profile: getProfile('ann-ideal-reuse-45nm') }).layers[0].sigmaStar!;
  };

  it('a conv layer breaks even well below one spike per synapse (the ANN reuses each weight OY·OX times)', () => {
    const s = sigmaStarOf(conv);
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(0.15);
  });

  it('an FC layer breaks even near one spike per synapse, inside 0.15–1.38', () => {
    const s = sigmaStarOf(fc);
    expect(s).toBeGreaterThan(0.15);
    expect(s).toBeLessThan(1.38);
    expect(s).toBeGreaterThan(5 * sigmaStarOf(conv));
  });
});
