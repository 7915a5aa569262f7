// A harness SNN (a chain `SpikingModel` with its `NeuronParams`: a built-in workload's converted or
// directly trained SNN) as a NIR graph, so that other NIR tools (snnTorch, Norse, Sinabs, Lava …) and
// `joulebench run --nir` read it. The inverse of to-graph.ts at step dt (seconds, NIR's convention):
//   dense  → [Flatten] Affine        conv2d → Conv2d (symmetric padding)     avgpool2d → AvgPool2d
//   IF     → IF   r = 1/dt                              (gain R·dt = 1: v ← v + b + Σ w·x)
//   LIF    → LIF  τ = −dt / ln β, r = 1/(1 − β), v_leak 0   (exact: gain R(1 − β) = 1)
//   CUBA   → CubaLIF τ_syn = −dt / ln α, τ_mem = −dt / ln β, w_in = 1, r = 1/q with q the exact
//            two-exponential gain (discretize.ts), so the harness's i ← α·i + b + Σ w·x; v ← β·v + i
//   read-out (integrates without leak or spikes) → I, r = 1/dt
// Thresholds: the harness fires when v ≥ θ, NIR when v > v_threshold; for float32 v these agree when
// v_threshold is the largest float32 below the smallest float32 ≥ θ. Reset: NIR has no reset mode
// (it resets to v_reset = 0); a network that resets by subtraction is run with `--nir-reset subtract`,
// which subtracts v_threshold (one float32 step below θ). Read back at the same dt with the exact
// discretization, the graph computes what the harness computes (up to that step and the last bit of
// β recomputed from τ). Refractory periods and α = 0 have no NIR form and are refused.
import { InputError } from '../../core/errors.js';
import type { SpikingModel } from '../../harness/convert.js';
import { layerGeometry } from '../../harness/layers.js';
import type { NeuronParams } from '../../harness/neurons.js';
import type { NirEdge, NirGraph, NirNode, NirTensor } from './graph.js';
import { twoExponentialQuotient } from './discretize.js';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The largest float32 strictly below the smallest float32 ≥ θ: `v > it` ⟺ `v ≥ θ` for float32 v. */
export function nirThresholdOf(theta: number): number {
  if (!Number.isFinite(theta)) throw new Error(`a threshold must be finite, got ${theta}`);
  let r = Math.fround(theta);
  if (r < theta) {
    f32[0] = r;
    if (r >= 0) i32[0] += 1;
    else i32[0] -= 1;
    r = f32[0];
  }
  f32[0] = r;
  if (r === 0) return -1.401298464324817e-45; // below ±0: the negative subnormal of least magnitude
  if (r > 0) i32[0] -= 1;
  else i32[0] += 1;
  return f32[0];
}

export interface SnnToNirOptions {
  /** The step the harness's per-step constants stand for, in seconds (default 1 ms). */
  readonly dt?: number;
}

/** Refuses (InputError naming the parameter) neurons NIR cannot express: a refractory period, a LIF without leak, CUBA without current memory. */
export function checkNirNeuron(neuron: NeuronParams): void {
  if (neuron.refractory !== 0) throw InputError.at({ field: 'refractory', problem: `${neuron.refractory} steps: NIR neurons have no refractory period`, fix: 'export a network with refractory 0' });
  if (neuron.model !== 'if' && !(neuron.beta < 1)) throw InputError.at({ field: 'beta', problem: 'β = 1 (no leak) has no LIF time constant', fix: 'export it as an IF network' });
  if (neuron.model === 'cuba' && !(neuron.alpha > 0)) throw InputError.at({ field: 'alpha', problem: 'α = 0 (no synaptic current memory) has no CubaLIF time constant', fix: 'export it as LIF, or with α > 0' });
}

/** The NIR graph of a chain SNN; refuses (InputError) what NIR cannot express exactly. */
export function snnToNir(model: SpikingModel, neuron: NeuronParams, options: SnnToNirOptions = {}): NirGraph {
  const dt = options.dt ?? 1e-3;
  if (!(dt > 0 && Number.isFinite(dt))) throw InputError.at({ field: 'dt', problem: `must be a finite number > 0, got ${dt}`, fix: 'give the step in seconds, e.g. 0.001' });
  checkNirNeuron(neuron);
  const tensor = (shape: readonly number[], data: ArrayLike<number>): NirTensor => ({ shape: [...shape], data: Float64Array.from(data) });
  const fill = (shape: readonly number[], v: number): NirTensor => tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(v));
  const nodes: [string, NirNode][] = [['input', { type: 'Input', shape: [...model.inputShape] }]];
  const edges: NirEdge[] = [];
  let prev = 'input';
  const add = (id: string, node: NirNode): void => {
    nodes.push([id, node]);
    edges.push([prev, id]);
    prev = id;
  };
  const tau = (decay: number): number => -dt / Math.log(decay);
  model.layers.forEach((sl, i) => {
    const l = sl.layer;
    const g = layerGeometry(l);
    const out = [...g.outputShape];
    if (l.kind === 'dense') {
      if (g.inputShape.length > 1) add(`${l.name}_flatten`, { type: 'Flatten', start_dim: 0, end_dim: -1, input_type: [...g.inputShape] });
      const w = new Float64Array(l.weight.length);
      for (let a = 0; a < l.inFeatures; a++) for (let o = 0; o < l.outFeatures; o++) w[o * l.inFeatures + a] = l.weight[a * l.outFeatures + o];
      add(l.name, { type: 'Affine', weight: tensor([l.outFeatures, l.inFeatures], w), bias: tensor([l.outFeatures], l.bias) });
    } else if (l.kind === 'conv2d') {
      // the harness's [C][kh][kw][K/G] → NIR's [K, C/G, kh, kw]
      const [kh, kw] = l.kernel;
      const G = l.groups ?? 1;
      const [Cg, Kg] = [l.inChannels / G, l.outChannels / G];
      const w = new Float64Array(l.weight.length);
      for (let k = 0; k < l.outChannels; k++) {
        const g = Math.floor(k / Kg);
        for (let cg = 0; cg < Cg; cg++) {
          const c = g * Cg + cg;
          for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) w[((k * Cg + cg) * kh + y) * kw + x] = l.weight[((c * kh + y) * kw + x) * Kg + (k - g * Kg)];
        }
      }
      add(l.name, { type: 'Conv2d', weight: tensor([l.outChannels, Cg, kh, kw], w), bias: tensor([l.outChannels], l.bias), stride: [...l.stride], padding: [...l.padding], dilation: [...(l.dilation ?? [1, 1])], groups: G, input_shape: [...l.inputHW] });
    } else if (l.kind === 'avgpool2d') {
      if (l.padding.some((p) => p !== 0)) throw InputError.at({ field: `layer ${l.name}`, problem: 'padded average pooling divides border windows by their taps inside the input, which NIR\'s AvgPool2d does not', fix: 'export a network with unpadded pooling' });
      add(l.name, { type: 'AvgPool2d', kernel_size: [...l.kernel], stride: [...l.stride], padding: [0, 0] });
    } else {
      throw InputError.at({ field: `layer ${l.name}`, problem: 'max pooling has no spiking form', fix: 'export a network with average pooling' });
    }
    const id = `${l.name}_${sl.spiking ? neuron.model : 'readout'}`;
    if (!sl.spiking) {
      if (i !== model.layers.length - 1) throw InputError.at({ field: `layer ${l.name}`, problem: 'a non-spiking layer before the last', fix: 'export a chain whose only integrating layer is the read-out' });
      add(id, { type: 'I', r: fill(out, 1 / dt) });
      return;
    }
    const vTh = fill(out, nirThresholdOf(sl.threshold));
    const zero = fill(out, 0);
    if (neuron.model === 'if') add(id, { type: 'IF', r: fill(out, 1 / dt), v_threshold: vTh, v_reset: zero });
    else if (neuron.model === 'lif') add(id, { type: 'LIF', tau: fill(out, tau(neuron.beta)), r: fill(out, 1 / (1 - neuron.beta)), v_leak: zero, v_threshold: vTh, v_reset: zero });
    else {
      const ts = tau(neuron.alpha);
      const tm = tau(neuron.beta);
      add(id, { type: 'CubaLIF', tau_syn: fill(out, ts), tau_mem: fill(out, tm), r: fill(out, 1 / twoExponentialQuotient(ts, tm, dt)), v_leak: zero, w_in: fill(out, 1), v_threshold: vTh, v_reset: zero });
    }
  });
  add('output', { type: 'Output', shape: [...layerGeometry(model.layers[model.layers.length - 1].layer).outputShape] });
  return { nodes: new Map(nodes), edges };
}
