// The inter-token study's quality floor and its comparison at matched quality (study/sequence-quality.ts),
// on hand-made families: every expected value below is worked out by hand from the numbers given; and
// the zero-mixer ablation the floor comes from (workloads/sequence/blocks/zero.ts).
import { describe, expect, it } from 'vitest';
import type { QualityOf } from '../study/sequence-quality.js';
import { belowFloor, cheapestReaching, paretoFront, qualityFloor } from '../study/sequence-quality.js';
import { zeroBlock } from '../workloads/sequence/blocks/zero.js';
import { StepCounter } from '../workloads/sequence/counter.js';
import { loadTf } from '../workloads/train/tf.js';

const zero: QualityOf = { family: 'zero', bitsPerChar: 3.6, recall: [{ L: 32, accuracy: 0.0625 }, { L: 64, accuracy: 0.05 }] };

describe('quality floor', () => {
  it('is the zero-mixer ablation moved by the margins: bits/char 3.6 − 0.1 = 3.5; recall 6.25% + 10 points = 16.25% at L = 32, 15% at 64', () => {
    const f = qualityFloor([{ family: 'softmax', bitsPerChar: 3.0, recall: [] }, zero], 0.1, 0.1)!;
    expect(f.reference).toBe('zero');
    expect(f.bitsPerChar).toBeCloseTo(3.5, 12);
    expect(f.recall.map((r) => r.L)).toEqual([32, 64]);
    expect(f.recall[0].accuracy).toBeCloseTo(0.1625, 12);
    expect(f.recall[1].accuracy).toBeCloseTo(0.15, 12);
  });

  it('does not exist without the ablation, and has no bits/char bound without a text task', () => {
    expect(qualityFloor([{ family: 'softmax', bitsPerChar: 3.0, recall: [] }], 0.05, 0.05)).toBeNull();
    expect(qualityFloor([{ ...zero, bitsPerChar: null }], 0.05, 0.05)!.bitsPerChar).toBeNull();
  });

  it('flags each shortfall by name, passes a family that clears every bound, and marks the ablation itself', () => {
    const f = qualityFloor([zero], 0.25, 0.25)!; // bits/char ≤ 3.35; recall ≥ 31.25% at 32, ≥ 30% at 64
    // 3.3 ≤ 3.35, 40% ≥ 31.25%, 35% ≥ 30%: meets
    expect(belowFloor({ family: 'a', bitsPerChar: 3.3, recall: [{ L: 32, accuracy: 0.4 }, { L: 64, accuracy: 0.35 }] }, f)).toEqual([]);
    // 3.4 > 3.35; 20% < 31.25% at 32; 30% at 64 meets (equal)
    expect(belowFloor({ family: 'b', bitsPerChar: 3.4, recall: [{ L: 32, accuracy: 0.2 }, { L: 64, accuracy: 0.3 }] }, f)).toEqual(['bits/char 3.400 > floor 3.350', 'recall at L=32 20.0% < floor 31.3%']);
    // recall at a length the ablation was not evaluated at has no bound; no text task: no bits/char bound
    expect(belowFloor({ family: 'c', bitsPerChar: null, recall: [{ L: 128, accuracy: 0 }] }, f)).toEqual([]);
    expect(belowFloor(zero, f)).toEqual(["the zero-mixer ablation (the floor's reference)"]);
  });
});

describe('matched quality', () => {
  // energy per token (µJ) and bits/char of four families meeting the floor
  const fam = [
    { family: 'a', bitsPerChar: 3.0, energyJ: 5e-6 },
    { family: 'b', bitsPerChar: 3.4, energyJ: 1e-6 },
    { family: 'c', bitsPerChar: 3.5, energyJ: 2e-6 }, // costs more than b and predicts worse: off the front
    { family: 'd', bitsPerChar: 2.8, energyJ: 9e-6 },
  ];

  it('keeps, cheapest first, each family that predicts better than every cheaper one', () => {
    expect(paretoFront(fam).map((e) => e.family)).toEqual(['b', 'a', 'd']);
    expect(paretoFront([])).toEqual([]);
    // equal energy: the better predictor is kept, the other is dominated
    expect(paretoFront([{ family: 'x', bitsPerChar: 3.2, energyJ: 1e-6 }, { family: 'y', bitsPerChar: 3.1, energyJ: 1e-6 }]).map((e) => e.family)).toEqual(['y']);
  });

  it('answers "the cheapest family reaching b bits/char" from the front', () => {
    const front = paretoFront(fam);
    expect(cheapestReaching(front, 3.45)?.family).toBe('b'); // b (3.4) reaches it at 1 µJ
    expect(cheapestReaching(front, 3.1)?.family).toBe('a'); // b does not; a (3.0) at 5 µJ
    expect(cheapestReaching(front, 2.9)?.family).toBe('d');
    expect(cheapestReaching(front, 2.5)).toBeNull();
  });
});

describe('the zero mixer', () => {
  it('outputs zeros in both forms, has no parameters, no ledger of its own and no stores, and refuses options', async () => {
    const cfg = zeroBlock.defaults(8);
    zeroBlock.validate(cfg);
    expect(zeroBlock.params(cfg)).toEqual([]);
    const tf = await loadTf('cpu');
    const x = tf.tensor3d(Float32Array.from({ length: 2 * 3 * 8 }, (_, i) => i - 20), [2, 3, 8]);
    expect(Array.from(await zeroBlock.trainForward(tf, {}, x, cfg).data())).toEqual(new Array(48).fill(0));
    const counter = new StepCounter();
    const dec = zeroBlock.decoder({}, cfg, counter);
    expect(Array.from(dec.step(Float32Array.from({ length: 8 }, (_, i) => i + 1)))).toEqual(new Array(8).fill(0));
    expect(counter.take()).toEqual({ compute: [], memory: [] });
    expect(zeroBlock.stepCounts(cfg, 100, {})).toEqual({ compute: [], memory: [] });
    expect(dec.stores()).toEqual([]);
    expect(zeroBlock.storesAt(cfg, 100)).toEqual([]);
    expect(() => zeroBlock.validate({ ...cfg, options: { timesteps: 4 } })).toThrow(/zero: options\.timesteps is not an option of zero; it has none/);
  });
});
