// Shared plumbing of the brain-inspired workloads (Hopfield, SOM, STDP): their ledgers are built
// per phase (storage / learning / recall / inference), each phase its own Ledger so a cost model
// prices on-chip learning separately from using what was learned. One ledger sample is one unit of
// the phase's work (a stored pattern, a probe, a training image, a test image); `per` names it.
//
// Every brain-model layer is a recorded layer (its kind is one of RECORDED_KINDS, core/geometry.ts;
// its ledger comes from the one builder, core/ledger.ts): memory-aware cost models price its recorded
// traffic with each operand in a memory of the size the layer's `stores` give
// (cost-models/recorded.ts), so every layer names what each of its memories holds — weights,
// Hebbian counts, prototypes, traces, states, tables, and the per-step input and output vectors.
import type { RecordedLayerGeometry } from '../../core/geometry.js';
import { recordedGeometry } from '../../core/geometry.js';
import type { BackendDescriptor, LayerActivityRecorder, LayerRules, Ledger, Operand, OperandStore, SampleActivity } from '../../core/ledger.js';
import { buildLedger, newActivityRecorder } from '../../core/ledger.js';
import type { Rng } from '../../core/rng.js';

export interface BrainPhase {
  /** 'storage', 'recall', 'learning', 'inference'. */
  readonly phase: string;
  /** What one ledger sample is, e.g. 'stored pattern', 'probe', 'training image'. */
  readonly per: string;
  readonly ledger: Ledger;
}

/** The geometry of a fully connected brain-model layer: `inputs` → `outputs`, one weight per pair unless told otherwise. */
export const brainGeometry = recordedGeometry;

/** Collects one layer's per-sample activity (the four quantities every ledger rule is a function of). */
export class ActivityLog {
  readonly rec: LayerActivityRecorder;
  /** `countSteps`: the model runs a sample for a varying number of steps and says how many (addSteps). */
  constructor(samples: number, timesteps = 1, countSteps = false) {
    const rec = newActivityRecorder(samples, timesteps);
    this.rec = countSteps ? { ...rec, stepsPerSample: new Float64Array(samples) } : rec;
  }
  /** Records that sample `s` ran `steps` more timesteps (only for a log made with `countSteps`). */
  addSteps(s: number, steps: number): void {
    if (!this.rec.stepsPerSample) throw new Error('ActivityLog.addSteps: this log was made without countSteps');
    this.rec.stepsPerSample[s] += steps;
  }
  /** Adds `a` to sample `s` (and to timestep `step` of the per-step event totals). */
  add(s: number, a: Partial<SampleActivity>, step = 0): void {
    const r = this.rec;
    r.inputEvents[s] += a.inputEvents ?? 0;
    r.outputEvents[s] += a.outputEvents ?? 0;
    r.synOps[s] += a.synOps ?? 0;
    r.updates[s] += a.updates ?? 0;
    r.inputPerStep[step] += a.inputEvents ?? 0;
    r.outputPerStep[step] += a.outputEvents ?? 0;
  }
}

export interface PhaseLayer {
  readonly name: string;
  readonly geometry: RecordedLayerGeometry;
  readonly log: ActivityLog;
  readonly rules: LayerRules;
  /** What each operand's memory holds (words at bits per word). */
  readonly stores: readonly OperandStore[];
}

/** The stores of a layer, written compactly: operand → [words, bits]. */
export function stores(spec: Partial<Record<Operand, readonly [number, number]>>): OperandStore[] {
  return Object.entries(spec).map(([operand, [words, bits]]) => ({ operand: operand as Operand, words, bits }));
}

/** A phase's ledger from its layers' activity logs, rules and stores. */
export function phaseLedger(backend: BackendDescriptor, samples: number, layers: readonly PhaseLayer[]): Ledger {
  return buildLedger(backend, samples, layers.map((l) => ({ name: l.name, geometry: l.geometry, rec: l.log.rec, rules: l.rules, stores: l.stores })));
}

/** Totals of a ledger's compute ops and memory accesses per sample (means), over all layers. */
export function ledgerTotals(ledger: Ledger): { ops: number; accesses: number } {
  let ops = 0;
  let accesses = 0;
  for (const l of ledger.layers) {
    for (const c of l.compute) ops += c.count.mean;
    for (const m of l.memory) accesses += m.count.mean;
  }
  return { ops, accesses };
}

/** Fisher–Yates shuffle in place, drawing from `rng`. */
export function shuffle(order: Int32Array, rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
