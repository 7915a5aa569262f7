// What the hardware-aware models read from one layer's ledger: tensor sizes, word widths per operand,
// the synaptic op's type, and the non-synaptic ops the backend recorded (bias, activation, pooling …).
import type { ComputeEntry, LayerLedger, Ledger } from '../core/ledger.js';
import { isRecordedLayer } from '../core/ledger.js';
import { shapeSize } from '../core/geometry.js';
import { OutOfRangeError } from './model.js';

export interface LayerFacts {
  readonly inputs: number;
  readonly outputs: number;
  /** Word widths (bits) of each operand as the backend stores it. */
  readonly bits: { readonly weight: number; readonly input: number; readonly output: number; readonly bias: number; readonly accumulator: number };
  /** The synaptic op (mac for an ANN or a direct-coded first SNN layer, ac for spikes); null for pooling. */
  readonly synaptic: ComputeEntry | null;
  readonly synapticLayer: boolean;
}

export function layerFacts(layer: LayerLedger): LayerFacts {
  const g = layer.geometry;
  const synaptic = layer.compute.find((c) => c.purpose === 'synaptic') ?? null;
  const synapticLayer = g.weightCount > 0;
  const fallback = synaptic?.bits ?? layer.compute[0]?.bits ?? layer.memory[0]?.bits;
  if (fallback === undefined) throw new OutOfRangeError(`layer ${layer.name}: the ledger records no ops and no memory accesses; nothing to size its memories by`, layer.name);
  const mem = (operand: string, action?: string): number | undefined => layer.memory.find((m) => m.operand === operand && (action === undefined || m.action === action))?.bits;
  const accumulator = layer.compute.find((c) => c.purpose === 'bias' || c.purpose === 'pool')?.bits ?? mem('potential') ?? mem('current') ?? fallback;
  return {
    inputs: shapeSize(g.inputShape),
    outputs: shapeSize(g.outputShape),
    bits: {
      weight: mem('weight') ?? fallback,
      input: mem('input') ?? fallback,
      output: mem('output') ?? fallback,
      bias: mem('bias') ?? accumulator,
      accumulator,
    },
    synaptic,
    synapticLayer,
  };
}

/**
 * A recorded layer (sequence blocks, LUT networks, the brain models' phases): the narrowing of the
 * LayerLedger union (core/ledger.ts), decided by its geometry's kind. Its ledger's memory entries are
 * its traffic (cost-models/recorded.ts), each operand's memory sized by the layer's `stores`.
 */

/**
 * Refuses a ledger of the other family: each hardware-aware profile prices one kind of machine. With
 * `recordedExempt`, a ledger whose layers are all recorded is priced whatever its family (a recorded
 * layer's counts are what the machine does, spiking or not); a geometric layer of the other family
 * still refuses the ledger.
 */
export function requireFamily(ledger: Ledger, family: 'ann' | 'snn', model: string, hint: string, recordedExempt = false): void {
  if (ledger.backend.family !== family && !(recordedExempt && ledger.layers.every(isRecordedLayer))) {
    throw new OutOfRangeError(`${model}: prices ${family === 'ann' ? 'ANN' : 'spiking'} ledgers only, not ${ledger.backend.id} (${ledger.backend.family}); ${hint}`);
  }
}

/** Window elements a pooling layer reads: K·OY·OX·FY·FX. */
export function poolWindowReads(layer: LayerLedger): number {
  const l = layer.geometry.loops;
  return l.K * l.OY * l.OX * l.FY * l.FX;
}
