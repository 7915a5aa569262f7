// SNN graph backend: neuron groups connected by synapses in any graph — chains, skip connections,
// fan-in sums, and recurrent synapses (a group feeding itself or an earlier group) — the form of a
// NIR graph (workloads/nir/to-graph.ts). Every group has its own dynamics with per-neuron parameters
// (`GroupDynamics`, harness/neurons.ts); a synapse is a dense, conv2d or avgpool2d layer from the
// graph's input or a group to a group. Executed time-stepped:
//   each step, groups are updated in their listed order (a topological order of the feed-forward
//   synapses); a group's input is the sum of its synapses' outputs, each scattering the source's
//   current spike list: this step's for a source listed before the target, the previous step's for a
//   source listed at or after it (a recurrent synapse: NIR's cycles run with one step of delay, as
//   snnTorch's recurrent neurons and Norse's recurrent cells do).
// Input: `direct`, a static sample held over every step (its synapses multiply real values once per
// sample, as createSnn's direct coding), or `frames`, a sample of T frames, frame t the input of step
// t (binary frames scatter as spike events, accumulates; other values multiply, every step).
// Predictions: the output group's largest spike count over T (ties: the lowest index) when it spikes,
// else its largest potential after T steps.
//
// The ledger has one layer per synapse, counted like createSnn's layers (snnLayerRules): the first
// feed-forward synapse into a group also carries the group's neuron updates, bias, state and output
// events; every further synapse into the group (fan-in, recurrent) carries only its own events: input
// reads, weight reads, the synaptic op and the accumulator read-modify-write.
import type { Backend, BackendRun, RunHooks } from '../backend.js';
import type { SampleSet } from '../data.js';
import { sampleInput } from '../data.js';
import type { LayerPlan } from '../exec.js';
import { planLayer } from '../exec.js';
import { argmax } from '../kernels/dense.js';
import type { SpikingModel } from '../convert.js';
import type { Shape } from '../../core/geometry.js';
import { shapeSize } from '../../core/geometry.js';
import type { ComputeRule, LayerActivityRecorder, LayerRules, MemoryRule, SampleActivity } from '../../core/ledger.js';
import { buildLedger, newActivityRecorder } from '../../core/ledger.js';
import type { Conv2dLayer, DenseLayer, Pool2dLayer } from '../model.js';
import type { GroupDynamics, NeuronParams } from '../neurons.js';
import { newNeuronState, resetNeuronState, stepGroup } from '../neurons.js';
import { WasmGraph } from '../kernels/wasm.js';
import { planConv } from '../kernels/conv.js';
import { planPool } from '../kernels/pool.js';
import type { RawRun } from './sample-pool.js';
import { runChunks } from './sample-pool.js';

const BITS = 32;

export interface GraphGroup {
  readonly name: string;
  readonly size: number;
  readonly dynamics: GroupDynamics;
  /** false: an integrator (every threshold +∞), counted without threshold tests and spikes. */
  readonly spiking: boolean;
}

export interface GraphSynapse {
  /** Its weights; its bias is not applied (a group's constant inputs are in its dynamics' bias). */
  readonly layer: DenseLayer | Conv2dLayer | Pool2dLayer;
  /** 'input': the graph's input; else the index of the source group. */
  readonly from: number | 'input';
  /** Index of the target group. */
  readonly to: number;
  /** A further copy of a synapse whose weights another synapse holds (a sum of sources before one weight matrix): its weights are not stored again. */
  readonly sharedWeights?: boolean;
}

export interface SpikingGraph {
  readonly id: string;
  /** Shape of one step's input (one frame). */
  readonly inputShape: Shape;
  /** In update order: every feed-forward synapse's source comes before its target. */
  readonly groups: readonly GraphGroup[];
  readonly synapses: readonly GraphSynapse[];
  /** The group read for predictions. */
  readonly output: number;
  /** Where the graph came from, for the record (e.g. "nir"). */
  readonly origin: string;
}

export type GraphInput = 'direct' | 'frames';

export interface SnnGraphOptions {
  readonly timesteps: number;
  readonly input: GraphInput;
  /** `wasm`: the WebAssembly kernels (the same spikes and counts); `js` (default): the TypeScript reference. */
  readonly kernel?: 'js' | 'wasm';
  /** Recorded in the backend's parameters (e.g. the NIR step and discretization). */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** Worker threads that split the samples (default 1); the same results (`runAsync`). */
  readonly threads?: number;
}

/** A chunk of samples for a worker of the pool (harness/backends/snn-worker.ts). */
export interface GraphChunkTask {
  readonly kind: 'graph';
  readonly graph: SpikingGraph;
  readonly options: SnnGraphOptions;
  readonly samples: SampleSet;
  /** Whether the whole set's frames are spikes (decided over the whole set, not per chunk). */
  readonly binaryFrames: boolean;
}

/** The graph engine's backend: `runRaw` gives the recorders before the ledger (worker threads join them). */
export interface SnnGraphBackend extends Backend {
  runRaw(samples: SampleSet, binaryFrames?: boolean, hooks?: RunHooks): RawRun;
}

/** A synapse reads the previous step's spikes when its source is updated at or after its target. */
export const isRecurrent = (s: GraphSynapse): boolean => s.from !== 'input' && s.from >= s.to;

/** Checks the graph's structure (sizes, indices, one feed-forward synapse into every group); throws naming the synapse or group. */
export function validateGraph(g: SpikingGraph): void {
  const inSize = shapeSize(g.inputShape);
  if (g.output < 0 || g.output >= g.groups.length) throw new Error(`graph ${g.id}: output group ${g.output} does not exist`);
  g.groups.forEach((grp, i) => {
    const d = grp.dynamics;
    for (const [name, arr] of [['beta', d.beta], ['threshold', d.threshold], ['subtract', d.subtract], ['bias', d.bias]] as const) {
      if (arr.length !== grp.size) throw new Error(`group ${grp.name}: ${name} has ${arr.length} values for ${grp.size} neurons`);
    }
    if (d.model === 'cuba' && d.alpha.length !== grp.size) throw new Error(`group ${grp.name}: alpha has ${d.alpha.length} values for ${grp.size} neurons`);
    if (!g.synapses.some((s) => s.to === i && !isRecurrent(s))) throw new Error(`group ${grp.name}: no feed-forward synapse reaches it`);
  });
  for (const s of g.synapses) {
    const plan = planLayer(s.layer);
    const from = s.from === 'input' ? inSize : g.groups[s.from]?.size;
    const to = g.groups[s.to]?.size;
    if (from === undefined || to === undefined) throw new Error(`synapse ${s.layer.name}: its source or target group does not exist`);
    if (plan.inSize !== from) throw new Error(`synapse ${s.layer.name}: takes ${plan.inSize} inputs, its source has ${from}`);
    if (plan.outSize !== to) throw new Error(`synapse ${s.layer.name}: gives ${plan.outSize} outputs, its target has ${to}`);
    if (s.layer.kind === 'maxpool2d') throw new Error(`synapse ${s.layer.name}: max pooling has no spiking form`);
    if ((s.layer.kind === 'dense' || s.layer.kind === 'conv2d') && s.layer.bias.some((b) => b !== 0)) throw new Error(`synapse ${s.layer.name}: a synapse's bias must be 0 (the group's constant input is its dynamics' bias)`);
  }
}

interface LayerRole {
  /** The group's first feed-forward synapse: carries the group's neuron updates and state. */
  readonly primary: boolean;
  /** Its weights are stored by another synapse (footprint without them). */
  readonly sharedWeights?: boolean;
  /** Its inputs are real values (direct input, analog frames): multiply-accumulates. */
  readonly multiplies: boolean;
}

/**
 * Ledger rules of one synapse into a group (createSnn's snnLayerRules for a group with its own
 * dynamics): counts are functions of one sample's activity.
 */
export function graphLayerRules(plan: LayerPlan, group: GraphGroup, role: LayerRole): LayerRules {
  const g = plan.geometry;
  const synaptic = plan.layer.kind === 'dense' || plan.layer.kind === 'conv2d';
  const { model, reset } = group.dynamics;
  const cuba = model === 'cuba';
  const fp = { bits: BITS, numeric: 'fp' } as const;
  const word = { bits: BITS } as const;
  const syn = (a: SampleActivity) => a.synOps;
  const upd = (a: SampleActivity) => a.updates;
  const accumulator = cuba ? 'current' : 'potential';
  const compute: ComputeRule[] = [{ op: role.multiplies ? 'mac' : 'ac', ...fp, purpose: 'synaptic', count: syn }];
  const memory: MemoryRule[] = [{ operand: 'input', action: 'read', ...word, count: (a) => a.inputEvents }];
  if (synaptic) memory.push({ operand: 'weight', action: 'read', ...word, count: syn });
  if (!role.primary) {
    // a further synapse into the group: its events accumulate into the group's state, nothing else
    memory.push({ operand: accumulator, action: 'read', ...word, count: syn }, { operand: accumulator, action: 'write', ...word, count: syn });
    return { compute, memory, footprint: { weightBits: role.sharedWeights === true ? 0 : g.weightCount * BITS, biasBits: 0, stateBits: 0 }, neuron: model };
  }
  compute.push({ op: 'add', ...fp, purpose: 'bias', count: upd });
  if (cuba) compute.push({ op: 'mul', ...fp, purpose: 'current-decay', count: upd }, { op: 'add', ...fp, purpose: 'current', count: upd });
  // a comparator (threshold) keeps no potential across steps: no leak
  if (model === 'lif' || model === 'cuba') compute.push({ op: 'mul', ...fp, purpose: 'leak', count: upd });
  if (group.spiking) compute.push({ op: 'cmp', ...fp, purpose: 'threshold', count: upd });
  if (group.spiking && reset === 'subtract') compute.push({ op: 'add', ...fp, purpose: 'reset', count: (a) => a.outputEvents });
  if (synaptic) memory.push({ operand: 'bias', action: 'read', ...word, count: upd });
  memory.push(
    { operand: accumulator, action: 'read', ...word, count: (a) => a.synOps + a.updates },
    { operand: accumulator, action: 'write', ...word, count: (a) => a.synOps + a.updates },
  );
  if (cuba) memory.push({ operand: 'potential', action: 'read', ...word, count: upd }, { operand: 'potential', action: 'write', ...word, count: upd });
  const nOut = plan.outSize;
  memory.push({ operand: 'output', action: 'write', ...word, count: group.spiking ? (a: SampleActivity) => a.outputEvents : () => nOut });
  return {
    compute,
    memory,
    footprint: { weightBits: role.sharedWeights === true ? 0 : g.weightCount * BITS, biasBits: g.biasCount * BITS, stateBits: g.neurons * (cuba ? 2 : 1) * BITS },
    neuron: group.spiking ? model : null,
  };
}

/** Whether every value of the set is 0 or 1 (frames of spikes). */
function isBinary(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false;
  return true;
}


export function createSnnGraph(graph: SpikingGraph, options: SnnGraphOptions): SnnGraphBackend {
  const T = options.timesteps;
  if (!Number.isInteger(T) || T < 1) throw new Error(`timesteps must be a positive integer, got ${T}`);
  validateGraph(graph);
  const groups = graph.groups;
  const synapses = graph.synapses;
  const plans = synapses.map((s) => planLayer(s.layer));
  // per group: its synapses, the first feed-forward one first
  const incoming = groups.map((_, gi) => {
    const into = synapses.map((s, si) => ({ s, si })).filter(({ s }) => s.to === gi);
    const first = into.findIndex(({ s }) => !isRecurrent(s));
    return [into[first], ...into.filter((_, k) => k !== first)].map(({ si }) => si);
  });
  const primary = new Set(incoming.map((list) => list[0]));
  const frameSize = shapeSize(graph.inputShape);
  // ledger order: groups in update order, each group's synapses (its primary first)
  const order = incoming.flat();
  const fast = options.kernel === 'wasm';
  const summary = (key: 'model' | 'reset'): string => [...new Set(groups.map((g) => g.dynamics[key]))].join('+');
  const descriptor = {
    id: 'snn',
    family: 'snn' as const,
    timesteps: T,
    params: {
      neuron: summary('model'),
      reset: summary('reset'),
      threshold: 'per neuron',
      coding: options.input,
      execution: 'time-stepped',
      precision: 'fp32',
      conversion: graph.origin,
      ...(options.params ?? {}),
      ...(fast ? { kernel: 'wasm' } : {}),
    },
  };
  /** The TypeScript reference kernels: the event scatters of harness/exec.ts, stepGroup. */
  const jsKernels = (): GraphKernels => {
    const states = groups.map((g) => newNeuronState(g.size, { model: g.dynamics.model === 'threshold' ? 'if' : g.dynamics.model, reset: g.dynamics.reset, beta: 1, alpha: 0, refractory: 0 }));
    const acc = groups.map((g) => new Float32Array(g.size));
    const spikes = groups.map((g) => new Int32Array(g.size));
    return {
      acc, spikes, inputIdx: new Int32Array(frameSize), potentials: states.map((st) => st.v),
      reset: () => { for (const st of states) resetNeuronState(st); },
      scatter: (si, idx, n) => plans[si].scatter(idx, n, acc[synapses[si].to]),
      step: (gi, changed) => stepGroup(groups[gi].dynamics, states[gi], acc[gi], spikes[gi], changed),
      release: () => {},
    };
  };
  /** The WebAssembly kernels (harness/kernels/wasm.ts WasmGraph): the same sums in the same order per element. */
  const wasmKernels = (): GraphKernels => {
    const w = new WasmGraph(groups.map((g) => ({ size: g.size, ...g.dynamics })), synapses.map((syn) => {
      const l = syn.layer;
      const ends = { from: syn.from, to: syn.to };
      if (l.kind === 'dense') return { ...ends, kind: 'dense' as const, nIn: l.inFeatures, nOut: l.outFeatures, weight: l.weight };
      if (l.kind === 'conv2d') return { ...ends, kind: 'conv' as const, plan: planConv(l), weight: l.weight };
      return { ...ends, kind: 'pool' as const, plan: planPool(l) };
    }), frameSize);
    return {
      acc: w.acc, spikes: w.spikes, inputIdx: w.inputSpikes, potentials: w.potentials,
      reset: () => w.reset(),
      scatter: (si, idx, n) => {
        w.add(si, n);
        const plan = plans[si];
        if (plan.layer.kind === 'dense') return n * plan.outSize;
        let ops = 0;
        for (let e = 0; e < n; e++) ops += plan.fanOutOf(idx[e]);
        return ops;
      },
      step: (gi, changed) => {
        const fired = w.step(gi);
        changed[0] += w.lastChanged();
        return fired;
      },
      release: () => w.release(),
    };
  };

  const frames = options.input === 'frames';
  const checkShape = (samples: SampleSet): void => {
    const size = shapeSize(samples.shape);
    if (size !== (frames ? T * frameSize : frameSize)) {
      throw new Error(`graph ${graph.id}: a sample of shape [${samples.shape.join(', ')}] is not ${frames ? `${T} frames of` : 'one input of'} shape [${graph.inputShape.join(', ')}]`);
    }
  };
  const ledgerOf = (recs: readonly LayerActivityRecorder[], n: number, binaryFrames: boolean) => {
    const multiplies = (si: number): boolean => synapses[si].from === 'input' && !binaryFrames;
    const counted = order.map((si) => ({
      name: synapses[si].layer.name,
      geometry: plans[si].geometry,
      rec: recs[si],
      rules: graphLayerRules(plans[si], groups[synapses[si].to], { primary: primary.has(si), multiplies: multiplies(si), sharedWeights: synapses[si].sharedWeights === true }),
    }));
    return buildLedger(descriptor, n, counted, T);
  };
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
  const runRaw = (samples: SampleSet, binaryFramesOfSet?: boolean, hooks: RunHooks = {}): RawRun => {
      checkShape(samples);
      const binaryFrames = binaryFramesOfSet ?? (frames && isBinary(samples.inputs));
      const recs: LayerActivityRecorder[] = synapses.map(() => newActivityRecorder(samples.count, T, { neurobench: true }));
      const changed = new Int32Array(1);
      // per synapse from the input under direct input: NeuroBench's effective ops of the held input, and whether it is binary
      const heldEffective = new Float64Array(synapses.length);
      const heldBinary = new Uint8Array(synapses.length);
      const k = fast ? wasmKernels() : jsKernels();
      const { acc, spikes, inputIdx } = k;
      const nSpikes = new Int32Array(groups.length);
      const counts = new Float64Array(groups[graph.output].size);
      // per synapse from the input: its output for the current input (held for direct input)
      const held = synapses.map((s, si) => (s.from === 'input' ? new Float32Array(plans[si].outSize) : null));
      const predictions = new Uint8Array(samples.count);
      for (let s = 0; s < samples.count; s++) {
        const x = sampleInput(samples, s);
        k.reset();
        nSpikes.fill(0);
        counts.fill(0);
        for (let t = 0; t < T; t++) {
          // the input of this step: held values (direct), events (binary frames) or values (analog frames)
          let nInput = 0;
          const frame = frames ? x.subarray(t * frameSize, (t + 1) * frameSize) : x;
          if (binaryFrames) {
            for (let i = 0; i < frameSize; i++) if (frame[i] !== 0) inputIdx[nInput++] = i;
          }
          for (let gi = 0; gi < groups.length; gi++) {
            const a = acc[gi];
            a.fill(0);
            for (const si of incoming[gi]) {
              const syn = synapses[si];
              const rec = recs[si];
              const nb = rec.neurobench!;
              // NeuroBench calls every synapse at every step
              nb.dense[s] += plans[si].denseConnectionOps;
              const h = held[si];
              if (h !== null && !binaryFrames) {
                if (frames || t === 0) {
                  const { nonzero, synOps, effective, binary } = plans[si].forward(frame, h);
                  rec.synOps[s] += synOps;
                  rec.inputEvents[s] += nonzero;
                  rec.inputPerStep[t] += nonzero;
                  heldEffective[si] = effective;
                  heldBinary[si] = binary ? 1 : 0;
                }
                (heldBinary[si] === 1 ? nb.effectiveAcs : nb.effectiveMacs)[s] += heldEffective[si];
                for (let j = 0; j < h.length; j++) a[j] += h[j];
                continue;
              }
              const idx = syn.from === 'input' ? inputIdx : spikes[syn.from as number];
              const n = syn.from === 'input' ? nInput : nSpikes[syn.from as number];
              rec.synOps[s] += k.scatter(si, idx, n);
              nb.effectiveAcs[s] += plans[si].effectiveOps(idx, n);
              rec.inputEvents[s] += n;
              rec.inputPerStep[t] += n;
            }
            changed[0] = 0;
            const fired = k.step(gi, changed);
            nSpikes[gi] = fired;
            const rec = recs[incoming[gi][0]];
            rec.updates[s] += groups[gi].size;
            rec.outputEvents[s] += fired;
            rec.outputPerStep[t] += fired;
            if (groups[gi].spiking && groups[gi].dynamics.model === 'threshold') {
              // NeuroBench: a comparator's outputs are activations; it has no membrane
              rec.neurobench!.activations[s] += groups[gi].size;
            } else if (groups[gi].spiking) {
              // NeuroBench: every spiking neuron's output is an activation; membrane updates are all neurons at the first step, then those whose potential changed
              rec.neurobench!.activations[s] += groups[gi].size;
              rec.neurobench!.membraneUpdates[s] += t === 0 ? groups[gi].size : changed[0];
            }
            if (gi === graph.output) for (let q = 0; q < fired; q++) counts[spikes[gi][q]]++;
          }
        }
        const out = groups[graph.output];
        predictions[s] = out.spiking ? argmax(counts) : argmax(k.potentials[graph.output]);
        hooks.onProgress?.(s + 1, samples.count);
      }
      k.release();
      return { predictions, recs };
  };
  return {
    descriptor,
    runRaw,
    run(samples: SampleSet, hooks: RunHooks = {}): BackendRun {
      const binaryFrames = frames && isBinary(samples.inputs);
      const { predictions, recs } = runRaw(samples, binaryFrames, hooks);
      return { predictions, ledger: ledgerOf(recs, samples.count, binaryFrames) };
    },
    ...(threads > 1 ? {
      async runAsync(samples: SampleSet, hooks: RunHooks = {}): Promise<BackendRun> {
        checkShape(samples);
        const binaryFrames = frames && isBinary(samples.inputs);
        const one = { ...options, threads: 1 };
        const { predictions, recs } = await runChunks((part): GraphChunkTask => ({ kind: 'graph', graph, options: one, samples: part, binaryFrames }), samples, threads, T, hooks.onProgress);
        return { predictions, ledger: ledgerOf(recs, samples.count, binaryFrames) };
      },
    } : {}),
  };
}

/**
 * A chain SpikingModel (createSnn's form: one NeuronParams for every spiking layer, the last layer an
 * integrating read-out) as a graph: one group per layer with the layer's bias per neuron and its
 * threshold, the read-out an IF group with threshold +∞. Fed the same spikes (binary frames against
 * createSnn's encoder) the two engines give the same spikes and ledger layers.
 */
export function graphOfSpikingModel(model: SpikingModel, neuron: NeuronParams): SpikingGraph {
  if (neuron.refractory !== 0) throw new Error('graphOfSpikingModel: the graph engine has no refractory period');
  const groups: GraphGroup[] = [];
  const synapses: GraphSynapse[] = [];
  model.layers.forEach((sl, i) => {
    const plan = planLayer(sl.layer);
    const n = plan.outSize;
    const bias = new Float32Array(n);
    const l = sl.layer;
    if (l.kind === 'dense') bias.set(l.bias);
    else if (l.kind === 'conv2d') for (let k = 0; k < l.outChannels; k++) bias.fill(l.bias[k], (k * n) / l.outChannels, ((k + 1) * n) / l.outChannels);
    const leaky = sl.spiking && neuron.model !== 'if';
    const model_ = sl.spiking ? neuron.model : 'if';
    groups.push({
      name: l.name,
      size: n,
      spiking: sl.spiking,
      dynamics: {
        model: model_,
        reset: neuron.reset,
        beta: new Float64Array(n).fill(leaky ? neuron.beta : 1),
        alpha: new Float64Array(model_ === 'cuba' ? n : 0).fill(neuron.alpha),
        threshold: new Float64Array(n).fill(sl.spiking ? sl.threshold : Infinity),
        subtract: new Float64Array(n).fill(sl.threshold),
        bias,
      },
    });
    const layer = l.kind === 'dense' || l.kind === 'conv2d' ? { ...l, bias: new Float32Array(l.bias.length) } : l;
    synapses.push({ layer, from: i === 0 ? 'input' : i - 1, to: i });
  });
  return { id: model.id, inputShape: model.inputShape, groups, synapses, output: groups.length - 1, origin: model.conversion.method };
}

/** What one run of the graph engine needs of its kernels: accumulators, spike lists and potentials, a scatter per synapse, a step per group. */
interface GraphKernels {
  readonly acc: Float32Array[];
  readonly spikes: Int32Array[];
  /** The graph's input events of a step (binary frames). */
  readonly inputIdx: Int32Array;
  readonly potentials: Float32Array[];
  reset(): void;
  /** Synapse si adds its source's n events idx into its target's accumulator; returns the synaptic operations. */
  scatter(si: number, idx: Int32Array, n: number): number;
  /** Steps group gi; returns its spike count and adds its changed potentials to changed[0]. */
  step(gi: number, changed: Int32Array): number;
  /** The run is over: the kernels' resources go back (the WebAssembly instance, for the next run). */
  release(): void;
}
