// SNN backend: layers of IF, LIF or current-based LIF neurons (see neurons.ts) over T timesteps,
// with rate, latency or direct input coding, executed time-stepped (every neuron updated every step)
// or event-driven (a neuron is visited only when an input event reaches it or it can change on its
// own; skipped steps are caught up lazily). Both executions produce bit-identical spikes; they record
// different neuron-update counts. The read-out layer integrates without spiking; the class is its
// largest potential after T steps.
import type { Backend, BackendRun, RunHooks } from '../backend.js';
import type { SpikingLayer, SpikingModel } from '../convert.js';
import type { Pool2dLayer } from '../model.js';
import type { SampleSet } from '../data.js';
import { sampleInput } from '../data.js';
import type { SpikeEncoder } from '../encoders.js';
import { latencyEncoder, rateEncoder } from '../encoders.js';
import type { LayerPlan } from '../exec.js';
import { planModel } from '../exec.js';
import { argmax } from '../kernels/dense.js';
import { WasmChain, type WasmLayer } from '../kernels/wasm.js';
import { planConv } from '../kernels/conv.js';
import { planPool } from '../kernels/pool.js';
import type { ComputeRule, LayerActivityRecorder, LayerRules, MemoryRule, SampleActivity } from '../../core/ledger.js';
import { buildLedger, newActivityRecorder } from '../../core/ledger.js';
import { validateModelShapes } from '../layers.js';
import type { NeuronParams } from '../neurons.js';
import { DEFAULT_NEURON, newNeuronState, resetNeuronState, selfActive, stepNeuron, validateNeuron } from '../neurons.js';
import { createRng, rngStateInto } from '../../core/rng.js';
import type { RawRun } from './sample-pool.js';
import { runChunks } from './sample-pool.js';

const BITS = 32;

export type Coding = 'rate' | 'latency' | 'direct';
export type Execution = 'time-stepped' | 'event-driven';
export const CODINGS: readonly Coding[] = ['rate', 'latency', 'direct'];
export const EXECUTIONS: readonly Execution[] = ['time-stepped', 'event-driven'];

export interface SnnOptions {
  readonly timesteps: number;
  /** Seed of the input coder; sample i draws from stream (seed, i), so its spikes do not depend on which other samples run, or where. */
  readonly seed: number;
  readonly neuron?: NeuronParams;
  /** Input coding; rate when omitted. `direct` feeds the real-valued input to the first layer every step. */
  readonly coding?: Coding;
  readonly execution?: Execution;
  /** Overrides the spike encoder (e.g. a fixed raster in tests); incompatible with direct coding. */
  readonly encoder?: SpikeEncoder;
  /**
   * `js` (default): the TypeScript reference kernels. `wasm`: the WebAssembly SIMD kernels
   * (harness/kernels/wasm.ts) where they exist — chains of dense, conv and average-pooling IF/LIF/CUBA layers, time-stepped or event-driven — with the
   * same spikes, predictions and counts; anything else runs on the reference kernels.
   */
  readonly kernel?: SnnKernel;
  /** Worker threads that split the samples (default 1); the same results (`runAsync`). */
  readonly threads?: number;
}

export type SnnKernel = 'js' | 'wasm';

/** Whether the WebAssembly kernels run this network as configured (else the reference kernels do). */
export function wasmRuns(model: SpikingModel): boolean {
  return model.layers.every((l) => l.layer.kind !== 'maxpool2d');
}

interface RuleContext {
  readonly neuron: NeuronParams;
  readonly execution: Execution;
  /** The first layer under direct coding multiplies real-valued inputs (MACs), once per sample. */
  readonly directInput: boolean;
}

/** Ledger rules of one spiking (or read-out) layer; counts are functions of the sample's activity. */
export function snnLayerRules(plan: LayerPlan, sl: SpikingLayer, ctx: RuleContext): LayerRules {
  const g = plan.geometry;
  const synaptic = plan.layer.kind === 'dense' || plan.layer.kind === 'conv2d';
  const spiking = sl.spiking;
  const { model, reset } = ctx.neuron;
  const cuba = spiking && model === 'cuba';
  const leaky = spiking && model !== 'if';
  const fp = { bits: BITS, numeric: 'fp' } as const;
  const word = { bits: BITS } as const;
  const syn = (a: SampleActivity) => a.synOps;
  const upd = (a: SampleActivity) => a.updates;
  const compute: ComputeRule[] = [
    { op: ctx.directInput ? 'mac' : 'ac', ...fp, purpose: 'synaptic', count: syn },
    { op: 'add', ...fp, purpose: 'bias', count: upd },
  ];
  if (cuba) compute.push({ op: 'mul', ...fp, purpose: 'current-decay', count: upd }, { op: 'add', ...fp, purpose: 'current', count: upd });
  if (leaky) compute.push({ op: 'mul', ...fp, purpose: 'leak', count: upd });
  if (spiking) compute.push({ op: 'cmp', ...fp, purpose: 'threshold', count: upd });
  if (spiking && reset === 'subtract') compute.push({ op: 'add', ...fp, purpose: 'reset', count: (a) => a.outputEvents });
  const memory: MemoryRule[] = [{ operand: 'input', action: 'read', ...word, count: (a) => a.inputEvents }];
  if (synaptic) memory.push({ operand: 'weight', action: 'read', ...word, count: syn }, { operand: 'bias', action: 'read', ...word, count: upd });
  // Synaptic events accumulate into the current (CUBA) or straight into the membrane potential.
  const accumulator = cuba ? 'current' : 'potential';
  memory.push(
    { operand: accumulator, action: 'read', ...word, count: (a) => a.synOps + a.updates },
    { operand: accumulator, action: 'write', ...word, count: (a) => a.synOps + a.updates },
  );
  if (cuba) memory.push({ operand: 'potential', action: 'read', ...word, count: upd }, { operand: 'potential', action: 'write', ...word, count: upd });
  if (ctx.execution === 'event-driven') memory.push({ operand: 'state', action: 'read', ...word, count: upd }, { operand: 'state', action: 'write', ...word, count: upd });
  const nOut = plan.outSize;
  memory.push({ operand: 'output', action: 'write', ...word, count: spiking ? (a: SampleActivity) => a.outputEvents : () => nOut });
  const stateWords = cuba ? 2 : 1;
  return {
    compute,
    memory,
    footprint: { weightBits: g.weightCount * BITS, biasBits: g.biasCount * BITS, stateBits: g.neurons * stateWords * BITS },
    neuron: spiking ? model : null,
  };
}

/** Bias of every output neuron (a conv layer shares one bias per output channel). */
function expandedBias(plan: LayerPlan): Float32Array {
  const out = new Float32Array(plan.outSize);
  const layer = plan.layer;
  if (layer.kind === 'dense') out.set(layer.bias);
  else if (layer.kind === 'conv2d') {
    const plane = plan.outSize / layer.outChannels;
    for (let k = 0; k < layer.outChannels; k++) out.fill(layer.bias[k], k * plane, (k + 1) * plane);
  }
  return out;
}

export function createSnn(model: SpikingModel, options: SnnOptions): SnnBackend {
  const T = options.timesteps;
  if (!Number.isInteger(T) || T < 1) throw new Error(`timesteps must be a positive integer, got ${T}`);
  const neuron = options.neuron ?? DEFAULT_NEURON;
  validateNeuron(neuron);
  const coding: Coding = options.coding ?? 'rate';
  const execution: Execution = options.execution ?? 'time-stepped';
  if (coding === 'direct' && options.encoder) throw new Error('direct coding takes no spike encoder');
  const encoder: SpikeEncoder | null = coding === 'direct' ? null : (options.encoder ?? (coding === 'latency' ? latencyEncoder(T) : rateEncoder));
  const layers = model.layers;
  validateModelShapes(model.inputShape, layers.map((l) => l.layer));
  const plans = planModel(layers.map((l) => l.layer));
  if (coding === 'direct' && !(plans[0].layer.kind === 'dense' || plans[0].layer.kind === 'conv2d')) throw new Error('direct coding needs a synaptic first layer');
  for (const p of plans) if (p.layer.kind === 'maxpool2d') throw new Error(`layer ${p.layer.name}: max pooling has no spiking form; use average pooling`);
  const biases = plans.map(expandedBias);
  const eventDriven = execution === 'event-driven';
  const fast = options.kernel === 'wasm' && wasmRuns(model);
  const descriptor = {
    id: 'snn',
    family: 'snn' as const,
    timesteps: T,
    params: {
      neuron: neuron.model,
      reset: neuron.reset,
      beta: neuron.beta,
      ...(neuron.model === 'cuba' ? { alpha: neuron.alpha } : {}),
      refractory: neuron.refractory,
      threshold: 1,
      coding: encoder ? encoder.name : 'direct',
      execution,
      precision: 'fp32',
      seed: options.seed,
      conversion: model.conversion.method,
      // which kernels ran, for the record (the ledger is the same): as the onnxruntime ANN records it
      ...(fast ? { kernel: 'wasm' } : {}),
    },
  };
  const ctxFor = (l: number): RuleContext => ({ neuron, execution, directInput: l === 0 && coding === 'direct' });
  const ledgerOf = (recs: readonly LayerActivityRecorder[], n: number) =>
    buildLedger(descriptor, n, plans.map((p, i) => ({ name: p.layer.name, geometry: p.geometry, rec: recs[i], rules: snnLayerRules(p, layers[i], ctxFor(i)) })), T);
  // the reference rate encoder's stream, drawn in the module (any other encoder runs in TypeScript)
  const encodeInModule = fast && encoder === rateEncoder;

  /** The time-stepped loop on the WebAssembly kernels: the reference loop's counts, step by step. */
  const runWasm = (samples: SampleSet, first: number, onDone?: (done: number) => void): SnnRawRun => {
    const chain = new WasmChain(plans.map((p, i): WasmLayer => {
      const base = { nIn: p.inSize, nOut: p.outSize, bias: biases[i], spiking: layers[i].spiking, threshold: layers[i].threshold, effectiveFanOut: p.effectiveFanOut };
      const l = p.layer;
      if (l.kind === 'dense') return { ...base, kind: 'dense', weight: l.weight };
      if (l.kind === 'conv2d') return { ...base, kind: 'conv', plan: planConv(l), weight: l.weight };
      return { ...base, kind: 'pool', plan: planPool(l as Pool2dLayer) };
    }), { model: neuron.model, reset: neuron.reset, beta: neuron.beta, alpha: neuron.alpha, refractory: neuron.refractory }, { steps: T, rateInModule: encodeInModule, eventDriven });
    const recs = plans.map(() => newActivityRecorder(samples.count, T, { neurobench: true }));
    const direct = coding === 'direct' ? new Float32Array(plans[0].outSize) : null;
    const predictions = new Uint8Array(samples.count);
    const L = plans.length;
    // time-stepped on input events: every step of every layer in one call into the module per sample
    const wholeSample = !eventDriven && direct === null;
    const outSizes = plans.map((p) => p.outSize);
    const spikingLayers = layers.map((l) => l.spiking);
    const totals = chain.layerTotals;
    // the rate encoder's per-sample stream state, seeded without allocating
    const seedParts = [options.seed, 0];
    const state = new Uint32Array(4);
    for (let s = 0; s < samples.count; s++) {
      const x = sampleInput(samples, s);
      const rng = encodeInModule ? null : createRng(options.seed, first + s);
      if (!wholeSample) chain.reset();
      if (encodeInModule) {
        seedParts[1] = first + s;
        chain.encodeRate(x, rngStateInto(state, seedParts));
      }
      if (wholeSample) {
        if (!encodeInModule) chain.encodeWith(x, encoder!, rng!);
        chain.runSteps();
        for (let l = 0; l < L; l++) {
          const rec = recs[l];
          const nb = rec.neurobench!;
          nb.dense[s] += T * plans[l].denseConnectionOps;
          rec.updates[s] += T * outSizes[l];
          rec.synOps[s] += totals[5 * l];
          nb.effectiveAcs[s] += totals[5 * l + 1];
          rec.inputEvents[s] += totals[5 * l + 2];
          rec.outputEvents[s] += totals[5 * l + 3];
          if (spikingLayers[l]) {
            nb.activations[s] += T * outSizes[l];
            // every neuron is written at the first step, then those whose potential changed
            nb.membraneUpdates[s] += outSizes[l] + totals[5 * l + 4];
          }
        }
        predictions[s] = argmax(chain.potentials[L - 1]);
        onDone?.(s + 1);
        continue;
      }
      let directSynOps = 0;
      let directEffective = 0;
      let directBinary = false;
      if (direct) {
        const { nonzero, synOps, effective, binary } = plans[0].forward(x, direct);
        const b = biases[0];
        for (let j = 0; j < direct.length; j++) chain.held[j] = Math.fround(direct[j] - b[j]);
        directSynOps = synOps;
        directEffective = effective;
        directBinary = binary;
        recs[0].inputEvents[s] += nonzero;
        recs[0].inputPerStep[0] += nonzero;
      }
      for (let l = 0; l < L; l++) {
        // what every step adds alike: NeuroBench calls every layer at every step; time-stepped execution updates every neuron
        const rec = recs[l];
        rec.neurobench!.dense[s] += T * plans[l].denseConnectionOps;
        if (layers[l].spiking) rec.neurobench!.activations[s] += T * plans[l].outSize;
        if (!eventDriven) rec.updates[s] += T * plans[l].outSize;
      }
      const counts = chain.counts;
      for (let t = 0; t < T; t++) {
        const nEncoded = encodeInModule ? chain.encodedCount(t) : -1;
        let nIn = nEncoded >= 0 ? nEncoded : encoder ? encoder.encode(x, t, rng!, chain.inputSpikes) : 0;
        for (let l = 0; l < L; l++) {
          const rec = recs[l];
          const nb = rec.neurobench!;
          let k: number;
          if (l === 0 && direct) {
            if (t === 0) rec.synOps[s] += directSynOps;
            (directBinary ? nb.effectiveAcs : nb.effectiveMacs)[s] += directEffective;
            k = chain.stepHeld(t);
          } else {
            // the step counts its input events (synaptic and NeuroBench's effective operations) as it runs
            k = l === 0 && nEncoded >= 0 ? chain.stepEncoded(t) : chain.step(l, nIn, t);
            rec.synOps[s] += counts[0];
            nb.effectiveAcs[s] += counts[1];
            rec.inputEvents[s] += nIn;
            rec.inputPerStep[t] += nIn;
          }
          if (layers[l].spiking) nb.membraneUpdates[s] += t === 0 ? plans[l].outSize : chain.lastChanged();
          rec.outputEvents[s] += k;
          rec.outputPerStep[t] += k;
          if (eventDriven) rec.updates[s] += chain.lastUpdates();
          nIn = k;
        }
      }
      if (eventDriven) {
        // every neuron brought up to the last step: the spiking layers' skipped membrane changes counted, the read-out read after
        for (let l = 0; l < L; l++) {
          const changed = chain.catchUp(l, T);
          if (layers[l].spiking) recs[l].neurobench!.membraneUpdates[s] += changed;
        }
      }
      predictions[s] = argmax(chain.potentials[L - 1]);
      onDone?.(s + 1);
    }
    if (wholeSample) {
      // the events of every step, summed over the samples in the module
      const perStep = chain.perStep;
      for (let l = 0; l < L; l++) {
        for (let t = 0; t < T; t++) {
          recs[l].inputPerStep[t] += perStep[2 * (l * T + t)];
          recs[l].outputPerStep[t] += perStep[2 * (l * T + t) + 1];
        }
      }
    }
    chain.release();
    return { predictions, recs };
  };

  /** The reference loop (TypeScript kernels) on samples whose first has index `first` in the whole set (its coder stream). */
  const runJs = (samples: SampleSet, first: number, onDone?: (done: number) => void): SnnRawRun => {

      const nInput = plans[0].inSize;
      const recs = plans.map(() => newActivityRecorder(samples.count, T, { neurobench: true }));
      const states = plans.map((p) => newNeuronState(p.outSize, neuron));
      const inputs = plans.map((p) => new Float32Array(p.outSize));
      const marks = plans.map((p) => new Uint8Array(p.outSize));
      const lastStep = plans.map((p) => new Int32Array(p.outSize));
      // spike lists: indices of the units that spiked this step, per layer output (index 0 = encoder)
      const spikeIdx = [new Int32Array(nInput), ...plans.map((p) => new Int32Array(p.outSize))];
      const spikeCount = new Int32Array(plans.length + 1);
      const direct = coding === 'direct' ? new Float32Array(plans[0].outSize) : null;
      const predictions = new Uint8Array(samples.count);
      for (let s = 0; s < samples.count; s++) {
        const x = sampleInput(samples, s);
        const rng = createRng(options.seed, first + s);
        for (const st of states) resetNeuronState(st);
        for (const ls of lastStep) ls.fill(-1);
        let directSynOps = 0;
        let directEffective = 0;
        let directBinary = false;
        if (direct) {
          // The input current of the first layer is the same every step: computed once (bias excluded).
          const { nonzero, synOps, effective, binary } = plans[0].forward(x, direct);
          directEffective = effective;
          directBinary = binary;
          const b = biases[0];
          for (let j = 0; j < direct.length; j++) direct[j] = Math.fround(direct[j] - b[j]);
          directSynOps = synOps;
          recs[0].inputEvents[s] += nonzero;
          recs[0].inputPerStep[0] += nonzero;
        }
        for (let t = 0; t < T; t++) {
          spikeCount[0] = encoder ? encoder.encode(x, t, rng, spikeIdx[0]) : 0;
          for (let l = 0; l < plans.length; l++) {
            const plan = plans[l];
            const sl = layers[l];
            const st = states[l];
            const b = biases[l];
            const rec = recs[l];
            const nb = rec.neurobench!;
            const nIn = spikeCount[l];
            const inIdx = spikeIdx[l];
            let inp: Float32Array;
            // NeuroBench calls every layer at every step, the direct-coded first layer included
            nb.dense[s] += plan.denseConnectionOps;
            if (l === 0 && direct) {
              inp = direct;
              if (t === 0) rec.synOps[s] += directSynOps;
              (directBinary ? nb.effectiveAcs : nb.effectiveMacs)[s] += directEffective;
            } else {
              inp = inputs[l];
              inp.fill(0);
              rec.synOps[s] += plan.scatter(inIdx, nIn, inp);
              nb.effectiveAcs[s] += plan.effectiveOps(inIdx, nIn);
              rec.inputEvents[s] += nIn;
              rec.inputPerStep[t] += nIn;
            }
            const outIdx = spikeIdx[l + 1];
            let nSpikes = 0;
            let updates = 0;
            // membrane potentials that changed at this step (NeuroBench counts every neuron at the first)
            let changed = 0;
            const n = plan.outSize;
            if (!eventDriven) {
              for (let j = 0; j < n; j++) {
                const before = st.v[j];
                if (stepNeuron(neuron, st, j, inp[j], b[j], sl.threshold, sl.spiking)) outIdx[nSpikes++] = j;
                if (st.v[j] !== before) changed++;
              }
              updates = n;
            } else {
              const mark = marks[l];
              const last = lastStep[l];
              if (l === 0 && direct) mark.fill(1);
              else {
                mark.fill(0);
                plan.markTargets(inIdx, nIn, mark);
              }
              for (let j = 0; j < n; j++) {
                if (mark[j] === 0 && !selfActive(neuron, st, j, b[j], sl.threshold, sl.spiking)) continue;
                // lazy catch-up of the steps this neuron was skipped (no input, no spike possible)
                for (let u = last[j] + 1; u < t; u++) {
                  const before = st.v[j];
                  stepNeuron(neuron, st, j, 0, b[j], sl.threshold, sl.spiking);
                  if (u > 0 && st.v[j] !== before) changed++;
                }
                const before = st.v[j];
                if (stepNeuron(neuron, st, j, inp[j], b[j], sl.threshold, sl.spiking)) outIdx[nSpikes++] = j;
                if (t > 0 && st.v[j] !== before) changed++;
                last[j] = t;
                updates++;
              }
            }
            if (sl.spiking) {
              nb.activations[s] += n;
              nb.membraneUpdates[s] += t === 0 ? n : changed;
            }
            spikeCount[l + 1] = nSpikes;
            rec.outputEvents[s] += nSpikes;
            rec.outputPerStep[t] += nSpikes;
            rec.updates[s] += updates;
          }
        }
        const L = plans.length - 1;
        if (eventDriven) {
          // the membrane changes of the steps each spiking neuron was skipped since its last visit
          // (time-stepped execution steps them; the spikes cannot change, the potentials can leak)
          for (let l = 0; l < plans.length; l++) {
            if (!layers[l].spiking) continue;
            const st = states[l];
            const last = lastStep[l];
            let changed = 0;
            for (let j = 0; j < plans[l].outSize; j++) {
              for (let u = last[j] + 1; u < T; u++) {
                const before = st.v[j];
                stepNeuron(neuron, st, j, 0, biases[l][j], layers[l].threshold, true);
                if (u > 0 && st.v[j] !== before) changed++;
              }
              last[j] = T - 1;
            }
            recs[l].neurobench!.membraneUpdates[s] += changed;
          }
          // bring the read-out up to the last step before reading it
          const st = states[L];
          const last = lastStep[L];
          for (let j = 0; j < plans[L].outSize; j++) {
            for (let u = last[j] + 1; u < T; u++) stepNeuron(neuron, st, j, 0, biases[L][j], layers[L].threshold, layers[L].spiking);
          }
        }
        predictions[s] = argmax(states[L].v);
        onDone?.(s + 1);
      }
      return { predictions, recs };
  };

  const runRaw = (samples: SampleSet, first = 0, onDone?: (done: number) => void): SnnRawRun => (fast ? runWasm(samples, first, onDone) : runJs(samples, first, onDone));
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
  return {
    descriptor,
    runRaw,
    run(samples: SampleSet, hooks: RunHooks = {}): BackendRun {
      const { onProgress } = hooks;
      const { predictions, recs } = runRaw(samples, 0, onProgress && ((done) => onProgress(done, samples.count)));
      return { predictions, ledger: ledgerOf(recs, samples.count) };
    },
    ...(threads > 1 ? {
      async runAsync(samples: SampleSet, hooks: RunHooks = {}): Promise<BackendRun> {
        const { predictions, recs } = await runInThreads(model, { ...options, threads: 1 }, samples, threads, hooks);
        return { predictions, ledger: ledgerOf(recs, samples.count) };
      },
    } : {}),
  };
}

/** A run's predictions and per-layer activity recorders, before they are summarized into a ledger. */
export type SnnRawRun = RawRun;

export interface SnnBackend extends Backend {
  /** The run's raw recorders; `first`: the index of samples' first sample in the whole set (its coder stream); `onDone(n)` after each of its samples. */
  runRaw(samples: SampleSet, first?: number, onDone?: (done: number) => void): SnnRawRun;
}

/** A chunk of samples for a worker of the pool (harness/backends/snn-worker.ts). */
export interface SnnChunkTask {
  readonly kind: 'chain';
  readonly model: SpikingModel;
  readonly options: SnnOptions;
  readonly samples: SampleSet;
  /** The chunk's first sample's index in the whole set (its coder stream). */
  readonly first: number;
}

/** The samples split across `threads` worker threads (harness/backends/sample-pool.ts), each sample on its own coder stream (seed, index in the whole set): the one-thread result. */
function runInThreads(model: SpikingModel, options: SnnOptions, samples: SampleSet, threads: number, hooks: RunHooks = {}): Promise<SnnRawRun> {
  if (options.encoder !== undefined) throw new Error('threads: a given spike encoder (a function) cannot be sent to worker threads');
  return runChunks((part, first): SnnChunkTask => ({ kind: 'chain', model, options, samples: part, first }), samples, threads, options.timesteps, hooks.onProgress);
}
