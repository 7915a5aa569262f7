// Hand-built ledgers (one FC and one conv layer with chosen activity) and a technology with round
// numbers, so every hardware-aware formula can be checked against arithmetic done by hand.
import { layerGeometry } from '../harness/layers.js';
import type { Ledger, LayerLedger, LayerRules } from '../core/ledger.js';
import { buildLayerLedger, newActivityRecorder } from '../core/ledger.js';
import type { Conv2dLayer, Layer } from '../harness/model.js';
import { builtinConstants, parseConstantTable } from '../cost-models/constants.js';
import type { HardwareProfile } from '../cost-models/profile.js';
import { parseProfile } from '../cost-models/profile.js';
import { COST_MODELS } from '../cost-models/registry.js';
import { dense } from './fixtures.js';

export const pJ = 1e-12;

export interface HandActivity {
  readonly inputEvents: number;
  readonly outputEvents: number;
  readonly synOps: number;
  readonly updates: number;
}

/** One layer's ledger for one sample with exactly this activity and these rules. */
export function handLayer(index: number, layer: Layer, timesteps: number, act: HandActivity, rules: Partial<LayerRules>): LayerLedger {
  const rec = newActivityRecorder(1, timesteps);
  rec.inputEvents[0] = act.inputEvents;
  rec.outputEvents[0] = act.outputEvents;
  rec.synOps[0] = act.synOps;
  rec.updates[0] = act.updates;
  return buildLayerLedger(index, layer.name, layerGeometry(layer), timesteps, rec, {
    compute: rules.compute ?? [],
    memory: rules.memory ?? [],
    footprint: rules.footprint ?? { weightBits: 0, biasBits: 0, stateBits: 0 },
    neuron: rules.neuron ?? null,
  });
}

export function handLedger(family: 'ann' | 'snn', timesteps: number, layers: LayerLedger[], params: Record<string, string | number | boolean> = {}): Ledger {
  return { backend: { id: family === 'ann' ? 'ann-dense' : 'snn', family, timesteps, params }, samples: 1, layers };
}

const fp32 = { bits: 32, numeric: 'fp' } as const;
const w32 = { bits: 32 } as const;

/** FC 4 → 3: 12 weights, 3 biases. */
export const FC = dense('fc', 4, 3, [[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]], [0, 0, 0], 'relu');
/** Conv 1 → 2 channels, 4×4 input, 3×3 kernel, stride 1, no padding: OY = OX = 2, N = 72 MACs. */
export const CONV: Conv2dLayer = {
  kind: 'conv2d',
  name: 'conv',
  inChannels: 1,
  outChannels: 2,
  inputHW: [4, 4],
  kernel: [3, 3],
  stride: [1, 1],
  padding: [0, 0],
  weight: new Float32Array(18),
  bias: new Float32Array(2),
  activation: 'relu',
};

/** A dense fp32 ANN layer: `nonzero` inputs are nonzero, synOps = the MACs with a nonzero input. */
export function annLayer(layer: Layer, nonzeroInputs: number, nonzeroSynOps: number, index = 0): LayerLedger {
  const g = layerGeometry(layer);
  const outs = g.neurons;
  return handLayer(index, layer, 1, { inputEvents: nonzeroInputs, outputEvents: outs, synOps: nonzeroSynOps, updates: 0 }, {
    compute: [
      { op: 'mac', ...fp32, purpose: 'synaptic', count: () => g.denseSynOps },
      { op: 'add', ...fp32, purpose: 'bias', count: () => outs },
      { op: 'cmp', ...fp32, purpose: 'activation', count: () => outs },
    ],
    memory: [
      { operand: 'input', action: 'read', ...w32, count: () => g.denseSynOps },
      { operand: 'weight', action: 'read', ...w32, count: () => g.denseSynOps },
      { operand: 'bias', action: 'read', ...w32, count: () => outs },
      { operand: 'output', action: 'write', ...w32, count: () => outs },
    ],
  });
}

/** A spiking fp32 IF layer (bias add, threshold, subtract reset per the SNN backend's rules). */
export function snnLayer(layer: Layer, timesteps: number, act: HandActivity, neuron: 'if' | 'lif' | 'cuba' | null = 'if', index = 0): LayerLedger {
  const acc = neuron === 'cuba' ? 'current' : 'potential';
  return handLayer(index, layer, timesteps, act, {
    compute: [
      { op: 'ac', ...fp32, purpose: 'synaptic', count: (a) => a.synOps },
      { op: 'add', ...fp32, purpose: 'bias', count: (a) => a.updates },
      ...(neuron === 'cuba' ? [{ op: 'mul' as const, ...fp32, purpose: 'current-decay', count: (a: HandActivity) => a.updates }, { op: 'add' as const, ...fp32, purpose: 'current', count: (a: HandActivity) => a.updates }] : []),
      ...(neuron === 'lif' || neuron === 'cuba' ? [{ op: 'mul' as const, ...fp32, purpose: 'leak', count: (a: HandActivity) => a.updates }] : []),
      ...(neuron !== null ? [{ op: 'cmp' as const, ...fp32, purpose: 'threshold', count: (a: HandActivity) => a.updates }, { op: 'add' as const, ...fp32, purpose: 'reset', count: (a: HandActivity) => a.outputEvents }] : []),
    ],
    memory: [
      { operand: 'input', action: 'read', ...w32, count: (a) => a.inputEvents },
      { operand: 'weight', action: 'read', ...w32, count: (a) => a.synOps },
      { operand: 'bias', action: 'read', ...w32, count: (a) => a.updates },
      { operand: acc, action: 'read', ...w32, count: (a) => a.synOps + a.updates },
      { operand: acc, action: 'write', ...w32, count: (a) => a.synOps + a.updates },
      { operand: 'output', action: 'write', ...w32, count: (a) => a.outputEvents },
    ],
    neuron,
  });
}

/** Round-number technology: fp add 1, fp mult 4, int add 0.5, int mult 2 pJ (32-bit); SRAM 0.001 pJ/bit × bits + 10 pJ per 64-bit access; DRAM 1000 pJ. */
export const ROUND_TABLE = parseConstantTable(
  `id: round
description: round numbers for hand computation
constants:
${[
  ['fp-add', 1, 'pJ'],
  ['fp-mult', 4, 'pJ'],
  ['int-add', 0.5, 'pJ'],
  ['int-mult', 2, 'pJ'],
  ['sram-slope', 0.001, 'pJ/bit'],
  ['sram-intercept', 10, 'pJ'],
  ['dram', 1000, 'pJ'],
  ['rf', 1, 'xMAC'],
  ['noc', 2, 'xMAC'],
  ['gb', 6, 'xMAC'],
  ['dram-rel', 200, 'xMAC'],
]
  .map(([n, v, u]) => `  - { name: ${n}, value: ${v}, unit: '${u}', evidence: I, source: test value for hand computation, low: ${Number(v) / 2}, high: ${Number(v) * 2}, rangeSource: test range }`)
  .join('\n')}
`,
  'round.yaml',
);

export const TEST_CONSTANTS = new Map([...builtinConstants(), ...ROUND_TABLE.constants]);

const NODE = `  nodeNm: { value: 45, unit: nm, source: t }
  vddV: { value: 0.9, unit: V, source: t }
  refNodeNm: { value: 45, unit: nm, source: t }
  refVddV: { value: 0.9, unit: V, source: t }
  opBits: { value: 32, unit: bits, source: t }`;
const ARITH = `  intAdd: round/int-add
  intMul: round/int-mult
  fpAdd: round/fp-add
  fpMul: round/fp-mult`;

/** `options`: YAML lines under `options:` (e.g. `  memoryKind.weight: { value: dram, source: t }`). */
export function roundProfile(model: string, extraParams = '', extraConstants = '', options = ''): HardwareProfile {
  const memory = model.startsWith('accelerator')
    ? `  rf: round/rf\n  noc: round/noc\n  globalBuffer: round/gb\n  dram: round/dram-rel`
    : `  sramSlope: round/sram-slope\n  sramIntercept: round/sram-intercept\n  dram: round/dram`;
  const memParams = model.startsWith('accelerator') ? '' : `\n  accessBits: { value: 64, unit: bits, source: t }\n  sramMaxBits: { value: 100000, unit: bits, source: t }`;
  return parseProfile(
    `id: round-${model}\nmodel: ${model}\ntitle: t\ndescription: d\nconstants:\n${ARITH}\n${memory}${extraConstants}\nparameters:\n${NODE}${memParams}${extraParams}\n${options ? `options:\n${options}\n` : ''}`,
    'round-profile.yaml',
    (m) => COST_MODELS.get(m),
    TEST_CONSTANTS,
  );
}
