// The WebAssembly SIMD kernels of the SNN backend (wasm/snn.ts, built by `npm run build:wasm` into the
// committed wasm/snn.wasm): a chain of spiking layers — dense, conv and average pooling —
// kept in the module's memory (weights with each run padded to a multiple of 4 outputs, the conv and
// pooling plans' pair tables, biases, potentials, refractory counts), stepped one layer and timestep
// per call — time-stepped (SIMD over every neuron) or event-driven (the neurons an event reaches or that
// can change on their own, skipped steps caught up lazily) — bit-exact with the TypeScript reference (harness/kernels/dense.ts addRow, conv.ts
// convScatter, exec.ts's pooling scatter, harness/neurons.ts stepNeuron). The module is compiled once per process; each network gets
// its own instance (its own memory), so backends and worker threads never share state.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';

import type { Rng } from '../../core/rng.js';
import type { SpikeEncoder } from '../encoders.js';
import type { ConvPlan } from './conv.js';
import type { PoolPlan } from './pool.js';

/** What every layer has: its outputs' bias (one per output neuron), and how they fire. */
interface WasmLayerBase {
  readonly nIn: number;
  readonly nOut: number;
  readonly bias: Float32Array;
  /** false: the read-out, which integrates without leak or spikes. */
  readonly spiking: boolean;
  readonly threshold: number;
  /** NeuroBench's effective operations per input event (harness/exec.ts LayerPlan.effectiveFanOut), summed by each step into `counts`. */
  readonly effectiveFanOut?: Int32Array;
}

/** One layer as the kernels run it: dense (weights [nIn][nOut]), conv (weights [C][kh][kw][K/groups], any groups and dilation) or average pooling. */
export type WasmLayer =
  | (WasmLayerBase & { readonly kind: 'dense'; readonly weight: Float32Array })
  | (WasmLayerBase & { readonly kind: 'conv'; readonly plan: ConvPlan; readonly weight: Float32Array })
  | (WasmLayerBase & { readonly kind: 'pool'; readonly plan: PoolPlan });

/** The neuron of every spiking layer. */
export interface WasmNeuron {
  readonly model: 'if' | 'lif' | 'cuba';
  readonly reset: 'subtract' | 'zero';
  readonly beta: number;
  /** The current's decay (CUBA). */
  readonly alpha: number;
  readonly refractory: number;
}

// The few WebAssembly types used (the project's lib has no DOM typings; Node 20 has the API).
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const WA = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer };
  alloc(bytes: number): number;
  denseStep(desc: number, idx: number, nIn: number, outIdx: number): number;
  neuronStep(desc: number, acc: number, outIdx: number): number;
  lastChanged(): number;
  eventStep(desc: number, acc: number, mark: number, all: number, plane: number, Kg: number, last: number, t: number, outIdx: number): number;
  catchUp(desc: number, last: number, T: number): number;
  convMark(offsets: number, pairs: number, HW: number, plane: number, Cg: number, idx: number, nIn: number, mark: number): void;
  poolMark(oOff: number, outs: number, HW: number, outPlane: number, idx: number, nIn: number, mark: number): void;
  denseAcc(w: number, nOutPad: number, idx: number, nIn: number, acc: number): void;
  countEvents(idx: number, nIn: number, fan: number, HW: number, fanConst: number, eff: number, stats: number): void;
  setStats(stats: number): void;
  encodeRate(x: number, n: number, nzIdx: number, nzP: number, T: number, state: number, evIdx: number, evCounts: number): number;
  runSteps(net: number, L: number, T: number, ev: number, evCounts: number, totals: number, perStep: number): void;
  resetHeap(top: number): void;
  convScatter(w: number, K: number, Kpad: number, kk: number, offsets: number, pairs: number, HW: number, plane: number, idx: number, nIn: number, accHWC: number, accCHW: number): void;
  poolScatter(oOff: number, outs: number, inv: number, HW: number, outPlane: number, nOutPad: number, idx: number, nIn: number, acc: number): void;
  readonly LAYER_BYTES: { readonly value: number };
  readonly LAYER_TOTALS_BYTES: { readonly value: number };
}

let compiled: object | undefined;

/** The compiled module (synchronous: it is 6 KB). */
function snnModule(): object {
  compiled ??= new WA.Module(readFileSync(join(packageRoot, 'wasm', 'snn.wasm')));
  return compiled;
}

/** The smallest float32 ≥ x: for a float32 v, `v >= x` ⟺ `v >= it`. */
function float32AtLeast(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.fround(x);
  if (r >= x) return r;
  const f = new Float32Array([r]);
  const u = new Int32Array(f.buffer);
  if (r === 0) return 1.401298464324817e-45;
  u[0] += r > 0 ? 1 : -1;
  return f[0];
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** Module instances of chains released after their run (WasmChain.release), zeroed, for the next chain in this thread. */
const idleInstances: Exports[] = [];
const MAX_IDLE_INSTANCES = 2;
const instanceCounts = { created: 0, reused: 0 };

/** How many module instances this thread's chains created and how many they took from released ones (for tests). */
export function wasmInstanceCounts(): { readonly created: number; readonly reused: number } {
  return { ...instanceCounts };
}

/** A module instance for a new chain or graph: a released one (zeroed) when there is one, else a new one. */
function acquireInstance<E extends Exports>(): E {
  const idle = idleInstances.pop();
  instanceCounts[idle ? 'reused' : 'created']++;
  return (idle ?? new WA.Instance(snnModule(), { env: { abort: () => { throw new Error('wasm/snn.wasm: abort'); } } }).exports) as unknown as E;
}

/** Hands an instance back: its heap below `top` (all its user allocated) zeroed and freed, kept for the next (up to MAX_IDLE_INSTANCES). */
function releaseInstance(ex: Exports, top: number): void {
  if (idleInstances.length >= MAX_IDLE_INSTANCES) return;
  ex.resetHeap(top);
  idleInstances.push(ex);
}

/** An allocator over an instance's heap (16-byte aligned) that remembers the end of what it handed out. */
function heapAllocator(ex: Exports): { readonly al: (bytes: number) => number; readonly top: () => number } {
  let top = 0;
  return {
    al: (bytes) => {
      const p = (ex.alloc(bytes + 16) + 15) & ~15;
      top = Math.max(top, p + bytes);
      return p;
    },
    top: () => top,
  };
}

/**
 * A convolution in module memory: its weights [C][kh][kw] runs padded to Kpad output channels (a grouped
 * conv's run of its group's Kg channels at the group's first channel, zeros elsewhere: adding +0 leaves
 * every accumulator as it is, since one that started at +0 never holds −0) and its pair tables.
 */
function writeConv(buf: ArrayBuffer, p: { readonly w: number; readonly t1: number; readonly t2: number }, pl: ConvPlan, weight: Float32Array): void {
  const Kpad = pad4(pl.K);
  const kk = pl.FY * pl.FX;
  const runs = pl.C * kk;
  const W = new Float32Array(buf, p.w, runs * Kpad);
  for (let r = 0; r < runs; r++) W.set(weight.subarray(r * pl.Kg, (r + 1) * pl.Kg), r * Kpad + Math.floor(Math.floor(r / kk) / pl.Cg) * pl.Kg);
  new Int32Array(buf, p.t1, pl.offsets.length).set(pl.offsets);
  new Int32Array(buf, p.t2, pl.pairs.length).set(pl.pairs);
}

/** An average pooling in module memory: its input-to-output tables and 1/taps per output (float64). */
function writePool(buf: ArrayBuffer, p: { readonly t1: number; readonly t2: number; readonly t3: number }, pl: PoolPlan): void {
  new Int32Array(buf, p.t1, pl.oOff.length).set(pl.oOff);
  new Int32Array(buf, p.t2, pl.outs.length).set(pl.outs);
  const inv = new Float64Array(buf, p.t3, pl.wOff.length - 1);
  for (let o = 0; o < inv.length; o++) inv[o] = 1 / (pl.wOff[o + 1] - pl.wOff[o]);
}

/** A chain of spiking layers in one module instance. */
export class WasmChain {
  private readonly ex: Exports;
  private readonly descs: number[];
  private readonly pads: number[];
  private readonly potentialPtrs: number[];
  private readonly currentPtrs: number[];
  private readonly refractoryPtrs: number[];
  private readonly spikePtrs: number[];
  private readonly heldPtr: number;
  /** Per layer: how a step scatters its input events (then the neuron update), or the dense kernel. */
  private readonly scatter: ((inPtr: number, nIn: number) => void)[];
  /** Event-driven execution: per layer, the outputs its step's events reach (marks), or null (dense: all when any event). */
  private readonly marker: (((inPtr: number, nIn: number) => void) | null)[];
  private readonly marks: Uint8Array[];
  private readonly markPtrs: number[];
  private readonly markShape: (readonly [number, number])[];
  private readonly lastPtrs: number[];
  private readonly lasts: Int32Array[];
  private readonly accViews: Float32Array[];
  private readonly eventDriven: boolean;
  private readonly weightPtrs: number[];
  /** Per layer: how its step counts its input events (countEvents' fan, HW, fanConst, eff). */
  private readonly countArgs: (readonly [number, number, number, number])[];
  private readonly statsPtr: number;
  /** The last step's counts: [0] synaptic operations, [1] NeuroBench's effective operations of its input events. */
  readonly counts: Float64Array;
  /** What the last step published: [0] potentials changed, [1] neurons visited (event-driven). */
  private readonly published: Int32Array;
  private readonly accPtrs: number[];
  private readonly kinds: WasmLayer['kind'][];
  /** Layer l's input spikes: inputs(0) is the network's input (write events there), inputs(l) = spikes(l − 1). */
  readonly inputSpikes: Int32Array;
  /** Output spike indices of each layer (views; valid until the next step of that layer). */
  readonly spikes: Int32Array[];
  /** Potentials of each layer (views). */
  readonly potentials: Float32Array[];
  /** The first layer's input current when it is held over every step (direct coding). */
  readonly held: Float32Array;

  /** A whole sample's input events (`steps` > 0): every step's events in order, and their counts per step. */
  private readonly sample: { readonly T: number; readonly evPtr: number; readonly countsPtr: number; readonly events: Int32Array; readonly counts: Int32Array } | null;
  /** Rate coding in the module (`rateInModule`): the sample's inputs with p > 0 and the generator's state. */
  private readonly rate: { readonly x: Float32Array; readonly xPtr: number; readonly state: Uint32Array; readonly statePtr: number; readonly nzIdxPtr: number; readonly nzPPtr: number } | null;
  private readonly netPtr: number;
  private readonly totalsPtr: number;
  private readonly perStepPtr: number;
  /** The end of what this chain allocated: `release` zeroes up to here. */
  private readonly heapTop: () => number;
  private released = false;
  /** What `runSteps` summed over the last sample's steps, per layer l: synaptic ops [5l], NeuroBench's effective ops [5l + 1], input events [5l + 2], output spikes [5l + 3], potentials changed at steps 1 … T − 1 [5l + 4]. */
  readonly layerTotals: Float64Array;
  /** What `runSteps` summed over every sample so far, per layer l and step t: input events [2(l·T + t)], output spikes [2(l·T + t) + 1]. */
  readonly perStep: Float64Array;
  private offset = 0;

  /**
   * `steps`: T, to hold a sample's input events for all its steps (`encodeRate`, `encodeWith`), stepped one by one
   * (`stepEncoded`) or all at once (`runSteps`). `rateInModule`: `encodeRate` draws the reference rate
   * encoder's stream in the module. `eventDriven`: steps visit only the neurons an event reaches or that can
   * change on their own, catching skipped steps up lazily (harness/backends/snn.ts's event-driven
   * execution); `step`'s t is then required.
   */
  constructor(layers: readonly WasmLayer[], neuron: WasmNeuron, options: { readonly steps?: number; readonly rateInModule?: boolean; readonly eventDriven?: boolean } = {}) {
    const eventDriven = options.eventDriven ?? false;
    const steps = options.steps ?? 0;
    if (options.rateInModule && steps < 1) throw new Error('WasmChain: rate coding in the module needs steps');
    this.eventDriven = eventDriven;
    const ex = acquireInstance<Exports>();
    this.ex = ex;
    const layerBytes = ex.LAYER_BYTES.value as number;
    const heap = heapAllocator(ex);
    this.heapTop = heap.top;
    const al = heap.al;
    const pad = (n: number): number => (n + 3) & ~3;
    const net = al(layers.length * layerBytes);
    const inputPtr = al(layers[0].nIn * 4);
    this.pads = layers.map((l) => pad(l.nOut));
    const parts = layers.map((l, i) => {
      const n = this.pads[i] * 4;
      const base = { b: al(n), v: al(n), ref: al(n), out: al(n), cur: al(n), mark: eventDriven ? al(n) : 0, last: eventDriven ? al(n) : 0 };
      if (l.kind === 'dense') return { ...base, w: al(l.nIn * n), acc: eventDriven ? al(n) : 0, hwc: 0, t1: 0, t2: 0, t3: 0 };
      if (l.kind === 'conv') {
        const pl = l.plan;
        const Kpad = pad(pl.K);
        return { ...base, w: al(pl.C * pl.FY * pl.FX * Kpad * 4), acc: al(n), hwc: al(pl.OY * pl.OX * Kpad * 4), t1: al(pl.offsets.length * 4), t2: al(pl.pairs.length * 4), t3: 0 };
      }
      const pl = l.plan;
      return { ...base, w: 0, acc: al(n), hwc: 0, t1: al(pl.oOff.length * 4), t2: al(pl.outs.length * 4), t3: al((pl.wOff.length - 1) * 8) };
    });
    this.heldPtr = al(this.pads[0] * 4);
    // the tables the steps count with: synaptic fan-out per input position (conv, pool) and effective fan-out per input
    const countPtrs = layers.map((l) => ({
      fan: l.kind === 'conv' ? al(l.plan.fanOut.length * 4) : l.kind === 'pool' ? al(l.plan.H * l.plan.W * 4) : 0,
      eff: l.effectiveFanOut && l.kind !== 'pool' ? al(l.effectiveFanOut.length * 4) : 0,
    }));
    this.statsPtr = al(24);
    const nIn0 = layers[0].nIn;
    const samplePtrs = steps > 0 ? { ev: al((nIn0 * steps + 1) * 4), counts: al(steps * 4) } : null;
    const ratePtrs = options.rateInModule ? { x: al(nIn0 * 4), nzIdx: al(nIn0 * 4), nzP: al(nIn0 * 4), state: al(16) } : null;
    const totalsBytes = ex.LAYER_TOTALS_BYTES.value as number;
    this.totalsPtr = al(layers.length * totalsBytes);
    this.perStepPtr = al(Math.max(1, steps * layers.length) * 16);
    this.netPtr = net;
    // views only after every allocation (growing the memory detaches them)
    const buf = ex.memory.buffer;
    this.sample = samplePtrs === null ? null : {
      T: steps,
      evPtr: samplePtrs.ev,
      countsPtr: samplePtrs.counts,
      events: new Int32Array(buf, samplePtrs.ev, nIn0 * steps + 1),
      counts: new Int32Array(buf, samplePtrs.counts, steps),
    };
    this.rate = ratePtrs === null ? null : {
      x: new Float32Array(buf, ratePtrs.x, nIn0),
      xPtr: ratePtrs.x,
      state: new Uint32Array(buf, ratePtrs.state, 4),
      statePtr: ratePtrs.state,
      nzIdxPtr: ratePtrs.nzIdx,
      nzPPtr: ratePtrs.nzP,
    };
    this.layerTotals = new Float64Array(buf, this.totalsPtr, (layers.length * totalsBytes) / 8);
    this.perStep = new Float64Array(buf, this.perStepPtr, Math.max(1, steps * layers.length) * 2);
    const dv = new DataView(buf);
    this.descs = layers.map((l, i) => {
      const p = parts[i];
      if (l.kind === 'dense') {
        const W = new Float32Array(buf, p.w, l.nIn * this.pads[i]);
        // rows padded to a multiple of 4 outputs (one copy when they already are)
        if (l.nOut === this.pads[i]) W.set(l.weight.subarray(0, l.nIn * l.nOut));
        else for (let r = 0; r < l.nIn; r++) W.set(l.weight.subarray(r * l.nOut, (r + 1) * l.nOut), r * this.pads[i]);
      } else if (l.kind === 'conv') writeConv(buf, p, l.plan, l.weight);
      else writePool(buf, p, l.plan);
      new Float32Array(buf, p.b, this.pads[i]).set(l.bias);
      const d = net + i * layerBytes;
      const thr = l.spiking ? l.threshold : Infinity;
      const model = { if: 0, lif: 1, cuba: 2 }[neuron.model];
      const ints = [l.nIn, l.nOut, this.pads[i], p.w, p.b, p.v, p.ref, model, neuron.reset === 'zero' ? 1 : 0, l.spiking ? 1 : 0, neuron.refractory, Math.fround(thr) === thr ? 1 : 0, p.cur, 0];
      ints.forEach((x, k) => dv.setInt32(d + 4 * k, x, true));
      dv.setFloat64(d + 56, neuron.model === 'if' ? 1 : neuron.beta, true);
      dv.setFloat64(d + 80, neuron.alpha, true);
      dv.setFloat64(d + 64, thr, true);
      dv.setFloat32(d + 72, float32AtLeast(thr), true);
      // a time-stepped dense layer counts its events in denseStep itself (no separate countEvents call)
      if (l.kind === 'dense' && !eventDriven) dv.setInt32(d + 88, countPtrs[i].eff, true);
      // what runSteps reads to step the layer itself (wasm/snn.ts's descriptor layout)
      const conv = l.kind === 'conv' ? l.plan : null;
      const pool = l.kind === 'pool' ? l.plan : null;
      const HW = conv ? conv.H * conv.W : pool ? pool.H * pool.W : 0;
      const plane = conv ? conv.OY * conv.OX : pool ? pool.OY * pool.OX : 0;
      const more = [conv ? 1 : pool ? 2 : 0, p.acc, p.hwc, p.t1, p.t2, p.t3, conv?.K ?? 0, conv ? pad(conv.K) : 0, conv ? conv.FY * conv.FX : 0, HW, plane, countPtrs[i].fan, countPtrs[i].eff, p.out];
      more.forEach((x, k) => dv.setInt32(d + 92 + 4 * k, x, true));
      return d;
    });
    layers.forEach((l, i) => {
      const c = countPtrs[i];
      if (l.kind === 'conv') new Int32Array(buf, c.fan, l.plan.fanOut.length).set(l.plan.fanOut);
      if (l.kind === 'pool') {
        const fan = new Int32Array(buf, c.fan, l.plan.H * l.plan.W);
        for (let q = 0; q < fan.length; q++) fan[q] = l.plan.oOff[q + 1] - l.plan.oOff[q];
      }
      if (c.eff) new Int32Array(buf, c.eff, l.effectiveFanOut!.length).set(l.effectiveFanOut!);
    });
    this.countArgs = layers.map((l, i) => [countPtrs[i].fan, l.kind === 'dense' ? 0 : l.plan.H * l.plan.W, l.nOut, countPtrs[i].eff] as const);
    this.counts = new Float64Array(buf, this.statsPtr, 2);
    this.published = new Int32Array(buf, this.statsPtr + 16, 2);
    ex.setStats(this.statsPtr);
    this.accPtrs = parts.map((p) => p.acc);
    this.weightPtrs = parts.map((p) => p.w);
    this.scatter = layers.map((l, i) => {
      const p = parts[i];
      if (l.kind === 'dense') return () => {};
      if (l.kind === 'conv') {
        const pl = l.plan;
        const args = [pl.K, pad(pl.K), pl.FY * pl.FX, p.t1, p.t2, pl.H * pl.W, pl.OY * pl.OX] as const;
        return (inPtr: number, nIn: number) => ex.convScatter(p.w, ...args, inPtr, nIn, p.hwc, p.acc);
      }
      const pl = l.plan;
      return (inPtr: number, nIn: number) => ex.poolScatter(p.t1, p.t2, p.t3, pl.H * pl.W, pl.OY * pl.OX, this.pads[i], inPtr, nIn, p.acc);
    });
    this.marker = layers.map((l, i) => {
      const p = parts[i];
      if (l.kind === 'dense') return null;
      if (l.kind === 'conv') {
        const pl = l.plan;
        return (inPtr: number, nIn: number) => ex.convMark(p.t1, p.t2, pl.H * pl.W, pl.OY * pl.OX, pl.Cg, inPtr, nIn, p.mark);
      }
      const pl = l.plan;
      return (inPtr: number, nIn: number) => ex.poolMark(p.t1, p.t2, pl.H * pl.W, pl.OY * pl.OX, inPtr, nIn, p.mark);
    });
    this.markPtrs = parts.map((p) => p.mark);
    // how eventStep reads the marks: (plane, Kg) — a convolution marks positions per group of Kg channels
    this.markShape = layers.map((l) => (l.kind === 'conv' ? [l.plan.OY * l.plan.OX, l.plan.Kg] : l.kind === 'pool' ? [l.plan.OY * l.plan.OX, 1] : [l.nOut, 1]));
    this.lastPtrs = parts.map((p) => p.last);
    this.marks = parts.map((p, i) => (eventDriven ? new Uint8Array(buf, p.mark, this.pads[i] * 4) : new Uint8Array(0)));
    this.lasts = parts.map((p, i) => (eventDriven ? new Int32Array(buf, p.last, this.pads[i]) : new Int32Array(0)));
    this.accViews = parts.map((p, i) => (eventDriven && p.acc ? new Float32Array(buf, p.acc, this.pads[i]) : new Float32Array(0)));
    this.kinds = layers.map((l) => l.kind);
    this.potentialPtrs = parts.map((p) => p.v);
    this.currentPtrs = parts.map((p) => p.cur);
    this.refractoryPtrs = parts.map((p) => p.ref);
    this.spikePtrs = [inputPtr, ...parts.map((p) => p.out)];
    this.inputSpikes = new Int32Array(buf, inputPtr, layers[0].nIn);
    this.spikes = parts.map((p, i) => new Int32Array(buf, p.out, this.pads[i]));
    this.potentials = parts.map((p, i) => new Float32Array(buf, p.v, layers[i].nOut));
    this.held = new Float32Array(buf, this.heldPtr, this.pads[0]);
  }

  /** Potentials and refractory counts to 0 (a new sample). */
  reset(): void {
    // the memory does not grow after the constructor, so views made once stay valid
    this.stateViews ??= this.pads.flatMap((n, i) => {
      const buf = this.ex.memory.buffer;
      return [new Float32Array(buf, this.potentialPtrs[i], n), new Float32Array(buf, this.currentPtrs[i], n), new Int32Array(buf, this.refractoryPtrs[i], n)];
    });
    for (const v of this.stateViews) v.fill(0);
    for (const last of this.lasts) last.fill(-1);
  }

  private stateViews: (Float32Array | Int32Array)[] | undefined;

  /** Timestep t of layer l on the nIn events of its input (the network input or layer l − 1's spikes); returns its spike count. */
  step(l: number, nIn: number, t: number): number {
    return this.stepFrom(l, this.spikePtrs[l], nIn, t);
  }

  private stepFrom(l: number, inPtr: number, nIn: number, t: number): number {
    const dense = this.kinds[l] === 'dense';
    if (!this.eventDriven && dense) {
      if (this.countArgs[l][3] === 0) {
        // no effective fan-out table, so denseStep counts nothing: every event reaches all outputs
        this.counts[0] = nIn * this.countArgs[l][2];
        this.counts[1] = 0;
      }
      return this.ex.denseStep(this.descs[l], inPtr, nIn, this.spikePtrs[l + 1]);
    }
    const [fan, HW, fanConst, eff] = this.countArgs[l];
    this.ex.countEvents(inPtr, nIn, fan, HW, fanConst, eff, this.statsPtr);
    if (!this.eventDriven) {
      this.scatter[l](inPtr, nIn);
      return this.ex.neuronStep(this.descs[l], this.accPtrs[l], this.spikePtrs[l + 1]);
    }
    const mark = this.marker[l];
    if (mark === null) {
      // dense: every output is reached when any event arrives
      this.accViews[l].fill(0);
      this.ex.denseAcc(this.weightPtrs[l], this.pads[l], inPtr, nIn, this.accPtrs[l]);
    } else {
      this.scatter[l](inPtr, nIn);
      this.marks[l].fill(0);
      mark(inPtr, nIn);
    }
    const [plane, Kg] = this.markShape[l];
    return this.ex.eventStep(this.descs[l], this.accPtrs[l], this.markPtrs[l], mark === null && nIn > 0 ? 1 : 0, plane, Kg, this.lastPtrs[l], t, this.spikePtrs[l + 1]);
  }

  /** Timestep t of layer 0 on the held input current (`held`), which reaches every neuron; returns its spike count. */
  stepHeld(t: number): number {
    if (this.eventDriven) return this.ex.eventStep(this.descs[0], this.heldPtr, this.markPtrs[0], 1, ...this.markShape[0], this.lastPtrs[0], t, this.spikePtrs[1]);
    return this.ex.neuronStep(this.descs[0], this.heldPtr, this.spikePtrs[1]);
  }

  /** Neurons the last step of the last stepped layer visited (event-driven). */
  lastUpdates(): number {
    return this.published[1];
  }

  /** Event-driven: layer l's neurons step (zero input) from their last visit to step T − 1; returns the potentials that changed after the first step. */
  catchUp(l: number, T: number): number {
    return this.ex.catchUp(this.descs[l], this.lastPtrs[l], T);
  }

  /**
   * Rate-codes one sample for all T steps in the module, drawing the stream whose state `rngState`
   * gives (the reference rateEncoder's draws: one per input with p > 0, in ascending order, per step).
   */
  encodeRate(x: Float32Array, state: Uint32Array): void {
    const r = this.rate;
    const sample = this.sample!;
    if (r === null) throw new Error('WasmChain: built without rate coding in the module');
    r.x.set(x);
    r.state.set(state);
    this.ex.encodeRate(r.xPtr, x.length, r.nzIdxPtr, r.nzPPtr, sample.T, r.statePtr, sample.evPtr, sample.countsPtr);
    this.offset = 0;
  }

  /** Encodes one sample for all T steps with a host encoder (steps 0 … T − 1 in order, drawing from rng). */
  encodeWith(x: Float32Array, encoder: SpikeEncoder, rng: Rng): void {
    const sample = this.sample;
    if (sample === null) throw new Error('WasmChain: built without steps');
    let at = 0;
    for (let t = 0; t < sample.T; t++) {
      const n = encoder.encode(x, t, rng, sample.events.subarray(at));
      sample.counts[t] = n;
      at += n;
    }
    this.offset = 0;
  }

  /** How many input events step t has (steps taken in order after `encodeRate` or `encodeWith`). */
  encodedCount(t: number): number {
    return this.sample!.counts[t];
  }

  /** One timestep of layer 0 on the encoded events of step t (steps taken in order); returns its spike count. */
  stepEncoded(t: number): number {
    const sample = this.sample!;
    const n = sample.counts[t];
    const k = this.stepFrom(0, sample.evPtr + this.offset * 4, n, t);
    this.offset += n;
    return k;
  }

  /**
   * All T time steps of every layer on the encoded sample, in one call into the module (time-stepped
   * execution): the same steps, spikes and counts as `stepEncoded` then `step` per layer, summed in
   * `layerTotals` (this sample) and `perStep` (every sample so far). Starts a new sample itself: every
   * potential, current and refractory count to 0.
   */
  runSteps(): void {
    const sample = this.sample;
    if (sample === null || this.eventDriven) throw new Error('WasmChain: runSteps needs steps and time-stepped execution');
    this.ex.runSteps(this.netPtr, this.descs.length, sample.T, sample.evPtr, sample.countsPtr, this.totalsPtr, this.perStepPtr);
  }

  /**
   * Hands the module instance back for the next chain (its memory zeroed and freed), as a fresh one: a run
   * that ends calls it so that the next run writes to memory pages already mapped. The chain is unusable after.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    releaseInstance(this.ex, this.heapTop());
  }

  /** Neurons of the last stepped layer whose potential changed (NeuroBench's membrane updates). */
  lastChanged(): number {
    return this.published[0];
  }
}

/** A neuron group of the graph engine (harness/backends/snn-graph.ts) with its parameters per neuron. */
export interface WasmGraphGroup {
  readonly size: number;
  readonly model: 'if' | 'lif' | 'cuba' | 'threshold';
  readonly reset: 'subtract' | 'zero';
  readonly beta: Float64Array;
  readonly alpha: Float64Array;
  readonly threshold: Float64Array;
  readonly subtract: Float64Array;
  readonly bias: Float32Array;
}

/** A synapse of the graph engine: its kind's data, its source (the input or a group) and its target group. */
export type WasmGraphSynapse = (
  | { readonly kind: 'dense'; readonly nIn: number; readonly nOut: number; readonly weight: Float32Array }
  | { readonly kind: 'conv'; readonly plan: ConvPlan; readonly weight: Float32Array }
  | { readonly kind: 'pool'; readonly plan: PoolPlan }
) & { readonly from: number | 'input'; readonly to: number };

interface GraphExports extends Exports {
  convAcc(w: number, K: number, Kpad: number, kk: number, offsets: number, pairs: number, HW: number, plane: number, idx: number, nIn: number, accHWC: number, accCHW: number): void;
  poolAcc(oOff: number, outs: number, inv: number, HW: number, outPlane: number, idx: number, nIn: number, acc: number): void;
  groupStep(g: number, acc: number, outIdx: number): number;
  readonly GROUP_BYTES: { readonly value: number };
}

/**
 * The graph engine's groups and synapses in one module instance: a synapse adds its source's events
 * into its target group's accumulator (after whatever the group's other synapses added, each element
 * in the reference's order), and a group steps on its accumulator with its per-neuron parameters.
 */
export class WasmGraph {
  private readonly ex: GraphExports;
  private readonly groupDescs: number[];
  private readonly accPtrs: number[];
  private readonly outPtrs: number[];
  private readonly inputPtr: number;
  private readonly adders: ((inPtr: number, nIn: number) => void)[];
  private readonly sources: (number | 'input')[];
  /** The graph's input events of a step (write them here). */
  readonly inputSpikes: Int32Array;
  /** Each group's spike indices (valid until its next step), potentials and accumulator (views). */
  readonly spikes: Int32Array[];
  readonly potentials: Float32Array[];
  readonly acc: Float32Array[];
  private readonly state: (Float32Array | Int32Array)[];
  private readonly heapTop: () => number;
  private released = false;

  constructor(groups: readonly WasmGraphGroup[], synapses: readonly WasmGraphSynapse[], inputSize: number) {
    const ex = acquireInstance<GraphExports>();
    this.ex = ex;
    const heap = heapAllocator(ex);
    this.heapTop = heap.top;
    const al = heap.al;
    const pad = (n: number): number => (n + 3) & ~3;
    const gBytes = ex.GROUP_BYTES.value;
    const gParts = groups.map((g) => {
      const n = pad(g.size);
      return { desc: al(gBytes), v: al(n * 4), i: al(n * 4), b: al(n * 4), beta: al(n * 8), alpha: al(n * 8), thr: al(n * 4), sub: al(n * 8), acc: al(n * 4), out: al(n * 4) };
    });
    this.inputPtr = al(inputSize * 4);
    const sParts = synapses.map((s) => {
      if (s.kind === 'dense') return { w: al(s.nIn * pad(s.nOut) * 4), hwc: 0, t1: 0, t2: 0, t3: 0 };
      if (s.kind === 'conv') {
        const pl = s.plan;
        const Kpad = pad(pl.K);
        return { w: al(pl.C * pl.FY * pl.FX * Kpad * 4), hwc: al(pl.OY * pl.OX * Kpad * 4), t1: al(pl.offsets.length * 4), t2: al(pl.pairs.length * 4), t3: 0 };
      }
      const pl = s.plan;
      return { w: 0, hwc: 0, t1: al(pl.oOff.length * 4), t2: al(pl.outs.length * 4), t3: al((pl.wOff.length - 1) * 8) };
    });
    const buf = ex.memory.buffer;
    const dv = new DataView(buf);
    groups.forEach((g, k) => {
      const p = gParts[k];
      const n = pad(g.size);
      const fill64 = (ptr: number, src: Float64Array, rest: number) => { const a = new Float64Array(buf, ptr, n); a.fill(rest); a.set(src.subarray(0, g.size)); };
      fill64(p.beta, g.beta, 1);
      fill64(p.alpha, g.model === 'cuba' ? g.alpha : new Float64Array(0), 0);
      fill64(p.sub, g.subtract, 0);
      const thr = new Float32Array(buf, p.thr, n).fill(Infinity);
      for (let j = 0; j < g.size; j++) thr[j] = float32AtLeast(g.threshold[j]);
      new Float32Array(buf, p.b, n).set(g.bias);
      const model = { if: 0, lif: 1, cuba: 2, threshold: 3 }[g.model];
      [g.size, n, model, g.reset === 'zero' ? 1 : 0, p.v, p.i, p.b, p.beta, p.alpha, p.thr, p.sub].forEach((x, q) => dv.setInt32(p.desc + 4 * q, x, true));
    });
    synapses.forEach((s, k) => {
      const p = sParts[k];
      if (s.kind === 'dense') {
        const n = pad(s.nOut);
        const W = new Float32Array(buf, p.w, s.nIn * n);
        for (let r = 0; r < s.nIn; r++) W.set(s.weight.subarray(r * s.nOut, (r + 1) * s.nOut), r * n);
      } else if (s.kind === 'conv') writeConv(buf, p, s.plan, s.weight);
      else writePool(buf, p, s.plan);
    });
    this.groupDescs = gParts.map((p) => p.desc);
    this.accPtrs = gParts.map((p) => p.acc);
    this.outPtrs = gParts.map((p) => p.out);
    this.sources = synapses.map((s) => s.from);
    this.adders = synapses.map((s, k) => {
      const p = sParts[k];
      const acc = gParts[s.to].acc;
      if (s.kind === 'dense') {
        const n = pad(s.nOut);
        return (inPtr: number, nIn: number) => ex.denseAcc(p.w, n, inPtr, nIn, acc);
      }
      if (s.kind === 'conv') {
        const pl = s.plan;
        return (inPtr: number, nIn: number) => ex.convAcc(p.w, pl.K, pad(pl.K), pl.FY * pl.FX, p.t1, p.t2, pl.H * pl.W, pl.OY * pl.OX, inPtr, nIn, p.hwc, acc);
      }
      const pl = s.plan;
      return (inPtr: number, nIn: number) => ex.poolAcc(p.t1, p.t2, p.t3, pl.H * pl.W, pl.OY * pl.OX, inPtr, nIn, acc);
    });
    this.inputSpikes = new Int32Array(buf, this.inputPtr, inputSize);
    this.spikes = gParts.map((p, k) => new Int32Array(buf, p.out, pad(groups[k].size)));
    this.potentials = gParts.map((p, k) => new Float32Array(buf, p.v, groups[k].size));
    this.acc = gParts.map((p, k) => new Float32Array(buf, p.acc, pad(groups[k].size)));
    this.state = gParts.flatMap((p, k) => [new Float32Array(buf, p.v, pad(groups[k].size)), new Float32Array(buf, p.i, pad(groups[k].size))]);
  }

  /** Potentials and currents to 0 (a new sample). */
  reset(): void {
    for (const s of this.state) s.fill(0);
  }

  /** Hands the module instance back for the next chain or graph, as WasmChain.release does; unusable after. */
  release(): void {
    if (this.released) return;
    this.released = true;
    releaseInstance(this.ex, this.heapTop());
  }

  /** Synapse s adds the nIn current events of its source (the input, or its source group's last spikes) into its target's accumulator. */
  add(s: number, nIn: number): void {
    const from = this.sources[s];
    this.adders[s](from === 'input' ? this.inputPtr : this.outPtrs[from], nIn);
  }

  /** One step of group g on its accumulator; returns its spike count (lastChanged(): the changed potentials). */
  step(g: number): number {
    return this.ex.groupStep(this.groupDescs[g], this.accPtrs[g], this.outPtrs[g]);
  }

  lastChanged(): number {
    return this.ex.lastChanged();
  }
}
