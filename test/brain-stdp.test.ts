// STDP (issue 8): a 2-synapse trace sequence and a 2-input, 2-neuron network worked by hand —
// traces, weight changes, spikes, thresholds and every count of the learning and inference ledgers.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import type { StdpParams } from '../workloads/brain/stdp.js';
import { DEFAULT_STDP, STDP_RULES, StdpSynapses, assignLabels, classify, createStdpNetwork, inferencePhase, learningPhase, newLogs, plasticityStores, present } from '../workloads/brain/stdp.js';
import { ActivityLog, brainGeometry, phaseLedger } from '../workloads/brain/phase.js';
import { countTable } from '../core/ledger.js';

const f32 = Math.fround;
const a = Math.exp(-1 / 20); // one 1 ms step of a τ = 20 ms trace

describe('pair-based STDP on 2 synapses (inputs 0, 1 → one neuron), τ_pre = τ_post = 20 ms, η_pre = 0.1, η_post = 0.2', () => {
  const params = { tauPreMs: 20, tauPostMs: 20, etaPre: 0.1, etaPost: 0.2, wMax: 1, normTotal: 1 };
  // each step: traces decay, then the step's spikes. Pre 0 at t = 0, pre 1 at t = 1, post at t = 2, pre 0 at t = 3.
  const run = () => {
    const syn = new StdpSynapses(2, 1, Float32Array.from([0.5, 0.5]), params);
    syn.decay();
    syn.pre(0);
    syn.decay();
    syn.pre(1);
    syn.decay();
    const beforePost = { x: Array.from(syn.x), w: Array.from(syn.w) };
    syn.post(0);
    syn.decay();
    syn.pre(0);
    return { syn, beforePost };
  };

  it('pre spikes before any post spike leave the weights alone (y = 0) and only raise x', () => {
    const { beforePost } = run();
    expect(beforePost.w).toEqual([0.5, 0.5]);
    expect(beforePost.x[0]).toBeCloseTo(a * a, 15); // spiked 2 steps ago
    expect(beforePost.x[1]).toBeCloseTo(a, 15); // spiked 1 step ago
  });

  it('the post spike at t = 2 potentiates by η_post·x: Δw₀ = 0.2·e^{−2/20} (pre 2 ms before), Δw₁ = 0.2·e^{−1/20} (1 ms before)', () => {
    const { syn } = run();
    expect(syn.w[1]).toBe(f32(0.5 + 0.2 * a));
  });

  it('pre 0 again at t = 3, 1 ms after the post spike, depresses by η_pre·y = 0.1·e^{−1/20}; traces end at x = (e^{−3/20} + 1, e^{−2/20}), y = e^{−1/20}', () => {
    const { syn } = run();
    expect(syn.w[0]).toBe(f32(f32(0.5 + 0.2 * a * a) - 0.1 * a));
    expect(syn.x[0]).toBeCloseTo(a ** 3 + 1, 15);
    expect(syn.x[1]).toBeCloseTo(a * a, 15);
    expect(syn.y[0]).toBeCloseTo(a, 15);
  });

  it('clips at 0 and w_max, and normalises each neuron’s incoming weights to normTotal', () => {
    const syn = new StdpSynapses(2, 1, Float32Array.from([0.05, 0.95]), { ...params, etaPre: 1, etaPost: 1 });
    syn.post(0); // y = 1, x = 0: no change
    syn.pre(0); // w₀ = max(0, 0.05 − 1·1) = 0
    syn.pre(1); // w₁ = max(0, 0.95 − 1) = 0 … and x₁ = 1
    syn.post(0); // w₁ = min(1, 0 + 1·1) = 1, w₀ = min(1, 0 + 1·1) = 1 (x₀ = 1 too)
    expect(Array.from(syn.w)).toEqual([1, 1]);
    syn.normalise();
    expect(Array.from(syn.w)).toEqual([0.5, 0.5]);
  });

  it('learning ledger of the sequence (T = 4 steps, 1 presentation): 3 pre × N + 1 post × C = 5 weight read-modify-writes, 12 trace decays', () => {
    const p: StdpParams = { ...DEFAULT_STDP, neurons: 1, steps: 4 };
    const log = new ActivityLog(1, 4);
    log.add(0, { inputEvents: 3, outputEvents: 1, synOps: 3 * 1 + 1 * 2, updates: 4 * (2 + 1) });
    const ledger = phaseLedger({ id: 't', family: 'snn', timesteps: 4, params: {} }, 1, [{ name: 'plasticity', geometry: brainGeometry('stdp-plasticity', 2, 1), log, rules: STDP_RULES.plasticity(p, 2), stores: plasticityStores(2, 1) }]);
    expect(countTable(ledger.layers[0])).toEqual({
      'mul/fp32/trace-decay': 12,
      'add/fp32/trace': 4, // x₀, x₁, y, x₀
      'mac/fp32/plasticity': 5, // w ± η·trace
      'cmp/fp32/clip': 5,
      'add/fp32/normalisation': 2, // Σ_i w_ij, once per presentation
      'div/fp32/normalisation': 1,
      'mul/fp32/normalisation': 2,
      'weight/read/32': 5 + 4, // updates + normalisation (sum and scale)
      'weight/write/32': 5 + 2,
      'trace/read/32': 5 + 12 + 4, // a trace per weight update, decays, increments
      'trace/write/32': 12 + 4 + 3, // decays, increments, the 3 traces reset
    });
  });
});

describe('a 2-input, 2-neuron network by hand: input 0 fires every step, input 1 is dark', () => {
  // weights w[i·N + j]: input 0 → (0.75, 0.25), input 1 → (0.25, 0.75): each neuron's sum is already normTotal = 1.
  // No leak to speak of (τ_m = 10¹² ms), threshold 1, reset 0, no refractory period, inhibition 10, θ₊ = 0.6;
  // an image needs 2 spikes, else it is shown again (at most twice). η = 0 so the weights stay put.
  const params: StdpParams = {
    ...DEFAULT_STDP,
    neurons: 2,
    steps: 3,
    intensityHz: 1000, // p = pixel · 1000 Hz · 1 ms = 1: a deterministic spike every step
    intensityStepHz: 0,
    minSpikes: 2,
    maxPresentations: 2,
    tauMembraneMs: 1e12,
    uReset: 0,
    uThreshold: 1,
    refractoryMs: 0,
    thetaPlus: 0.6,
    tauThetaMs: 1e12,
    inhibition: 10,
    etaPre: 0,
    etaPost: 0,
    normTotal: 1,
  };
  const build = () => {
    const net = createStdpNetwork(2, params, 1);
    net.syn.w.set([0.75, 0.25, 0.25, 0.75]);
    return net;
  };
  const src = () => ({ pixels: [1, 0], rng: createRng(9) });

  it('learning: u₀ = 0.75, 1.5 → spike at t = 1 (θ₀ = 0.6); the re-presentation needs u₀ > 1.6: spike at t = 2 (θ₀ = 1.2)', () => {
    const net = build();
    const logs = newLogs(1, 3, true);
    const r = present(net, src, true, logs, 0);
    expect(r.presentations).toBe(2);
    expect(Array.from(r.counts)).toEqual([1, 0]); // the last presentation's spikes
    expect(net.theta[0]).toBeCloseTo(1.2, 9);
    expect(net.theta[1]).toBe(0);
    expect(Array.from(logs.excitatory.rec.outputPerStep)).toEqual([0, 1, 1]);
    expect(Array.from(logs.excitatory.rec.inputPerStep)).toEqual([2, 2, 2]);
  });

  it('learning ledger of that image: 6 steps × (1 draw, 1 input spike); 2 post spikes; every count by hand', () => {
    const net = build();
    const logs = newLogs(1, 3, true);
    present(net, src, true, logs, 0);
    const [enc, exc, pl] = learningPhase(net, logs, 1).ledger.layers;
    expect(countTable(enc)).toEqual({ 'cmp/fp32/encoding': 6, 'input/read/8': 6, 'output/write/16': 6 });
    // E = 6 input spikes, O = 2 neuron spikes, S·N = 12 updates, 2 presentations
    expect(countTable(exc)).toEqual({
      'ac/fp32/synaptic': 12, // E·N
      'ac/fp32/inhibition': 2, // O·(N − 1)
      'mul/fp32/leak': 12,
      'add/fp32/current': 12,
      'add/fp32/threshold': 12,
      'cmp/fp32/threshold': 12,
      'cmp/int32/refractory': 12,
      'cmp/int32/intensity': 2,
      'mul/fp32/adaptation': 12, // θ decay
      'add/fp32/adaptation': 2, // θ += θ₊
      'input/read/16': 6,
      'weight/read/32': 12,
      'current/read/32': 26, // 12 synaptic + 2 inhibitory RMW + 12 per update
      'current/write/32': 30, // + 2 × N reset
      'potential/read/32': 12,
      'potential/write/32': 16, // + 2 × N reset
      'state/read/32': 24, // θ and the refractory counter per update
      'state/write/32': 20, // 2 refractory counters + 2 × N reset + 12 θ decays + 2 θ increases
      'output/write/16': 2,
    });
    // plasticity: weight updates E·N + O·C = 12 + 4; trace decays S·(C + N) = 24; 8 trace increments
    expect(countTable(pl)).toEqual({
      'mul/fp32/trace-decay': 24,
      'add/fp32/trace': 8,
      'mac/fp32/plasticity': 16,
      'cmp/fp32/clip': 16,
      'add/fp32/normalisation': 8,
      'div/fp32/normalisation': 4,
      'mul/fp32/normalisation': 8,
      'weight/read/32': 16 + 16,
      'weight/write/32': 16 + 8,
      'trace/read/32': 16 + 24 + 8,
      'trace/write/32': 24 + 8 + 8,
    });
    expect(exc.neuron).toBe('lif');
  });

  it('inference with θ frozen at (1, 0): neuron 0 needs u > 2 and fires at t = 2 only; no adaptation counts; the read-out votes', () => {
    const net = build();
    net.theta.set([1, 0]);
    const logs = newLogs(1, 3, false);
    const r = present(net, src, false, logs, 0);
    expect(r.presentations).toBe(2);
    expect(Array.from(r.counts)).toEqual([1, 0]);
    expect(Array.from(net.theta)).toEqual([1, 0]);
    const [, exc, ro] = inferencePhase(net, logs, 1, 2).ledger.layers;
    const t = countTable(exc);
    expect(t['mul/fp32/adaptation']).toBeUndefined();
    expect(t['state/write/32']).toBe(2 + 4);
    expect(Array.from(logs.excitatory.rec.outputPerStep)).toEqual([0, 0, 2]);
    expect(countTable(ro)).toEqual({ 'add/int32/readout': 2 + 2, 'mul/fp32/readout': 2, 'cmp/fp32/readout': 2, 'state/read/32': 4, 'state/write/32': 4, 'output/write/32': 1 });
  });
});

describe('Diehl & Cook labelling and classification', () => {
  it('labels each neuron with the class of its highest mean response; a neuron that never fired stays unlabelled', () => {
    const counts = [Int32Array.from([3, 0, 0]), Int32Array.from([1, 0, 0]), Int32Array.from([0, 4, 0])];
    // class 0: images 0 and 1 (neuron 0 mean 2); class 1: image 2 (neuron 1 mean 4); neuron 2 silent
    expect(Array.from(assignLabels(counts, [0, 0, 1], 3))).toEqual([0, 1, -1]);
  });
  it('classifies by the mean count of each class’s neurons; no spikes → −1', () => {
    const assignment = Int32Array.from([0, 0, 1, -1]);
    expect(classify(Int32Array.from([2, 0, 1, 9]), assignment, 2)).toBe(0); // class 0 mean 1, class 1 mean 1: tie → 0
    expect(classify(Int32Array.from([1, 0, 1, 9]), assignment, 2)).toBe(1); // 0.5 vs 1
    expect(classify(Int32Array.from([0, 0, 0, 9]), assignment, 2)).toBe(-1);
  });
  it('refuses bad parameters in one line', () => {
    expect(() => createStdpNetwork(2, { ...DEFAULT_STDP, neurons: 0 }, 1)).toThrow(/--neurons must be an integer in 1…4000, got 0/);
    expect(() => createStdpNetwork(2, { ...DEFAULT_STDP, etaPost: -1 }, 1)).toThrow(/etaPost must be a non-negative number/);
  });
});

describe('activity per simulated step', () => {
  it('input sparsity and output rate divide by the steps a sample actually ran (an image presented twice ran 2 × steps)', async () => {
    const { ActivityLog, brainGeometry, phaseLedger } = await import('../workloads/brain/phase.js');
    // 4 pixels, 10 steps per presentation; sample 0 presented once, sample 1 twice (20 steps)
    const log = new ActivityLog(2, 10, true);
    log.add(0, { inputEvents: 40, outputEvents: 8 });
    log.addSteps(0, 10);
    log.add(1, { inputEvents: 80, outputEvents: 30 });
    log.addSteps(1, 20);
    const descriptor = { id: 'hand', family: 'snn', timesteps: 10 } as unknown as Parameters<typeof phaseLedger>[0];
    const ledger = phaseLedger(descriptor, 2, [{ name: 'enc', geometry: brainGeometry('poisson-encoder', 4, 4), log, rules: { compute: [], memory: [], footprint: { weightBits: 0, biasBits: 0, stateBits: 0 }, neuron: null }, stores: [] }]);
    const a = ledger.layers[0].activity;
    // by hand: 1 − 40/(4·10) = 0 and 1 − 80/(4·20) = 0; rates 8/(4·10) = 0.2 and 30/(4·20) = 0.375
    expect([a.inputSparsity.min, a.inputSparsity.max]).toEqual([0, 0]);
    expect(a.outputRate.min).toBeCloseTo(0.2, 12);
    expect(a.outputRate.max).toBeCloseTo(0.375, 12);
  });
});
