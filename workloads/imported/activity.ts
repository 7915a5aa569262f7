// The imported-activity format (`joulebench-activity`, version 1): a network's per-layer activity
// recorded elsewhere (a PyTorch model through recorder/joulebench_record.py, or exported from a
// joulebench run by ledgerToActivity), with each layer's kind and geometry, so that joulebench can
// build its ledger through the one ledger builder and price it (`joulebench price`). The zod schema
// is the definition; workloads/imported/activity.schema.json is generated from it
// (`joulebench schema --activity`; a test checks the committed file is current). Every count is a
// mean over the recorded samples, per inference (one sample's whole run of `timesteps` steps).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Shape } from '../../core/geometry.js';
import { shapeSize } from '../../core/geometry.js';
import type { DocumentRef } from '../../core/documents.js';
import { parseJsonDocument, readDocumentBytes, readDocumentText, validateDocument } from '../../core/documents.js';
import { InputError, excerpt } from '../../core/errors.js';
import { windowOutput } from '../../harness/model.js';

export const ACTIVITY_FORMAT = 'joulebench-activity';
export const ACTIVITY_VERSION = 1;

export const ACTIVITY_LAYER_KINDS = ['dense', 'conv2d', 'avgpool2d', 'maxpool2d'] as const;
export type ActivityLayerKind = (typeof ACTIVITY_LAYER_KINDS)[number];
export const ACTIVITY_NEURONS = ['if', 'lif', 'cuba', 'relu', 'none'] as const;
export type ActivityNeuron = (typeof ACTIVITY_NEURONS)[number];

const num = z.number({ error: 'must be a finite number' });
const count = num.min(0, 'must be ≥ 0');
const posInt = z.number({ error: 'must be a positive integer' }).int('must be a positive integer').min(1, 'must be a positive integer');
const nonNegInt = z.number({ error: 'must be an integer ≥ 0' }).int('must be an integer ≥ 0').min(0, 'must be an integer ≥ 0');
const pair = (of: z.ZodNumber) => z.tuple([of, of], { error: 'must be a pair [y, x]' });

const activitySchema = z
  .strictObject({
    inputEvents: count.describe('events per inference reaching the layer, summed over timesteps: input spikes (SNN), nonzero input values (ANN, or an analog SNN input); mean over samples'),
    outputEvents: count.describe('events per inference leaving the layer, summed over timesteps: output spikes (SNN; 0 for a non-spiking read-out), nonzero outputs after the activation (ANN); mean over samples'),
    inputEventsPerTimestep: z.array(count).describe('input events at each timestep (length `timesteps`), mean over samples; sums to inputEvents'),
    outputEventsPerTimestep: z.array(count).describe('output events at each timestep (length `timesteps`), mean over samples; sums to outputEvents'),
    synapticOps: count.describe(
      'synaptic operations per inference that did work: Σ over input events of the outputs each reaches (its exact fan-out, which conv padding and pooling windows make position-dependent); mean over samples',
    ),
    neuronUpdates: count
      .optional()
      .describe('neuron state updates per inference, mean over samples; default: neurons × timesteps for a time-stepped SNN (the only allowed value there), 0 for an ANN; required for an event-driven SNN'),
    neurobench: z
      .strictObject({
        dense: count.describe('NeuroBench Dense: operations of every call with all inputs and weights taken as nonzero, zero padding excluded; 0 for pooling'),
        effectiveMacs: count.describe('NeuroBench Effective_MACs: (nonzero input, nonzero weight) pairs of the calls whose input holds a value other than 0 and ±1'),
        effectiveAcs: count.describe('NeuroBench Effective_ACs: the same pairs of the calls whose input holds only 0 and ±1 (spikes)'),
        activations: count.describe('outputs that pass an activation module (ReLU, or a spiking neuron: neurons × timesteps); 0 otherwise'),
        membraneUpdates: count.optional().describe('NeuroBench MembraneUpdates: every neuron at the first step, then those whose potential changed; default: neuronUpdates of a spiking layer, else 0'),
      })
      .optional()
      .describe('the layer\'s counts as NeuroBench 2.x defines them, per inference, summed over the layer\'s calls (an SNN calls every layer once per timestep), mean over samples; omitted: read off the counts above (effective ops = synapticOps)'),
  })
  .describe('what the layer did, per inference, as means over the recorded samples');

const layerSchema = z
  .strictObject({
    name: z.string().min(1, 'must not be empty'),
    kind: z.enum(ACTIVITY_LAYER_KINDS, { error: `must be one of ${ACTIVITY_LAYER_KINDS.join(', ')} (maxpool2d in ANNs only)` }),
    inputShape: z.array(posInt).min(1).max(3).describe('one sample\'s input, channel-major: [features] for dense, [C, H, W] for conv2d and pooling'),
    outputShape: z.array(posInt).min(1).max(3).describe('one sample\'s output: [features] or [K, OY, OX]'),
    kernel: pair(posInt).optional().describe('conv2d and pooling: window [FY, FX] in input elements'),
    stride: pair(posInt).optional().describe('conv2d and pooling: [SY, SX] in input elements'),
    padding: pair(nonNegInt).optional().describe('conv2d and pooling: zero padding [PY, PX] on each side (top = bottom, left = right); default [0, 0]'),
    groups: posInt.optional().describe('conv2d: channel groups G (each output channel sums over the C/G input channels of its group; depthwise: G = C); default 1'),
    dilation: pair(posInt).optional().describe('conv2d: spacing [DY, DX] of the kernel taps in input elements; default [1, 1]'),
    weights: nonNegInt.describe('weight count (in × out for dense, K·(C/G)·FY·FX for conv2d, 0 for pooling)'),
    nonzeroWeights: nonNegInt.optional().describe('weights that are not zero (≤ weights); omitted: not recorded'),
    neuron: z
      .enum(ACTIVITY_NEURONS, { error: `must be one of ${ACTIVITY_NEURONS.join(', ')}` })
      .describe('the unit at the layer\'s output: if, lif or cuba (spiking, SNN), none (an SNN\'s non-spiking read-out; an ANN layer without activation or a pooling layer), relu (ANN)'),
    reset: z.enum(['subtract', 'zero'], { error: 'must be "subtract" or "zero"' }).optional().describe('spiking layers: reset by subtracting the threshold, or to zero'),
    input: z
      .enum(['spikes', 'analog'], { error: 'must be "spikes" or "analog"' })
      .optional()
      .describe('SNN: what reaches the layer: binary spikes (each synaptic op an accumulate, AC; default) or analog values (a multiply-accumulate, MAC: a directly coded first layer)'),
    activity: activitySchema,
  })
  .describe('one layer: a synaptic or pooling operation and the units at its output');

export const activitySchemaV1 = z
  .strictObject({
    format: z.literal(ACTIVITY_FORMAT),
    version: z.literal(ACTIVITY_VERSION),
    network: z.string().min(1, 'must not be empty').describe('the network\'s name (the results\' workload is imported:<network>)'),
    configuration: z.string().min(1, 'must not be empty').optional().describe('the configuration id in results.json; default snn-<neuron>-T<timesteps>[-event] or ann-dense / ann-sparse / ann-w<W>a<A>'),
    family: z.enum(['snn', 'ann'], { error: 'must be "snn" or "ann"' }),
    timesteps: posInt.describe('timesteps per inference (1 for an ANN)'),
    samples: posInt.describe('samples the means are over'),
    accuracy: num.min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').nullable().optional().describe('task accuracy on those samples, a fraction; null or omitted: not measured'),
    dataset: z.string().optional().describe('what the samples were (free text)'),
    execution: z.enum(['time-stepped', 'event-driven'], { error: 'must be "time-stepped" or "event-driven"' }).optional().describe('SNN: every neuron updated every step (default), or only the neurons an event reaches'),
    engine: z.enum(['dense', 'zero-skipping'], { error: 'must be "dense" or "zero-skipping"' }).optional().describe('ANN: every MAC performed (default), or only those of nonzero inputs (plus zero detection and index traffic)'),
    numeric: z
      .strictObject({ kind: z.enum(['fp', 'int']), weightBits: posInt.max(32), activationBits: posInt.max(32) })
      .optional()
      .describe('arithmetic: fp with 32-bit weights and activations (default; the only form of an SNN), or int with the given widths (a quantized ANN)'),
    source: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('provenance (framework, recorder, model file …), kept for the record'),
    layers: z.array(layerSchema).min(1, 'must hold at least one layer'),
  })
  .describe(`${ACTIVITY_FORMAT} version ${ACTIVITY_VERSION}: a network's per-layer activity recorded elsewhere, priced by \`joulebench price\` (counts per inference, means over samples)`);

export type ActivityDoc = z.infer<typeof activitySchemaV1>;
export type ActivityLayer = ActivityDoc['layers'][number];

/** The JSON Schema (draft 2020-12) of the activity format, published as workloads/imported/activity.schema.json. */
export function activityJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://joulebench.dev/schemas/activity-v${ACTIVITY_VERSION}.json`,
    title: 'joulebench imported activity',
    ...z.toJSONSchema(activitySchemaV1, { target: 'draft-2020-12', unrepresentable: 'any' }),
  };
}

const FIX = 'see the activity format (README, "Imported activity"; its schema: `joulebench schema --activity`)';

/** Relative tolerance of sums of means (a sum of per-step means differs from the mean of sums by float rounding only). */
const SUM_TOLERANCE = 1e-9;
const close = (a: number, b: number): boolean => Math.abs(a - b) <= SUM_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

/** A layer's facts that follow from its kind and shapes: its inputs, the neurons at its output, its weights. */
export interface LayerFacts {
  readonly inputs: number;
  readonly neurons: number;
  readonly weights: number;
}

/** Parses and checks an activity document read from `file`: each problem is one line naming the field and the fix. */
export function parseActivity(value: unknown, file: string): ActivityDoc {
  const at = (field: string, problem: string, fix = FIX) => InputError.at({ file, field, problem, fix });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw at('(root)', 'must be a JSON object (a joulebench-activity document)');
  const v = value as Record<string, unknown>;
  if (v.format !== ACTIVITY_FORMAT) throw at('format', v.format === undefined ? `is missing: this is not a ${ACTIVITY_FORMAT} document` : `must be "${ACTIVITY_FORMAT}", got ${excerpt(v.format, 40)}`);
  if (v.version !== ACTIVITY_VERSION) {
    throw at('version', `${v.version === undefined ? 'is missing' : `${excerpt(v.version, 20)} is not supported`}; this joulebench reads ${ACTIVITY_FORMAT} version ${ACTIVITY_VERSION}`, 'write the file with a recorder of this version (recorder/joulebench_record.py) or read it with the joulebench that matches it');
  }
  const doc = validateDocument(activitySchemaV1, value, file, FIX);
  checkActivity(doc, file);
  return doc;
}

/** Reads and checks an activity file (missing, a folder, empty, not JSON: one line each). */
export function readActivityFile(ref: DocumentRef): ActivityDoc {
  const text = readDocumentText(ref);
  return parseActivity(parseJsonDocument(text, ref.path, FIX), ref.path);
}

/** sha256 of an activity file's bytes, for provenance and content keys (a missing or unreadable file: one line). */
export function activityFileSha256(ref: DocumentRef): string {
  return createHash('sha256').update(readDocumentBytes(ref)).digest('hex');
}

/** A layer's window (kernel, stride, padding); a dense layer has none. */
type Window = { kernel: readonly [number, number]; stride: readonly [number, number]; padding: readonly [number, number]; dilation: readonly [number, number]; groups: number };
function windowFacts(l: ActivityLayer, field: string, at: (field: string, problem: string, fix?: string) => InputError): Window {
  if (l.kind === 'dense') {
    for (const k of ['kernel', 'stride', 'padding', 'groups', 'dilation'] as const) if (l[k] !== undefined) throw at(`${field}.${k}`, 'a dense layer has no window', `leave ${k} out of dense layers`);
    return { kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
  }
  if (l.kind !== 'conv2d') for (const k of ['groups', 'dilation'] as const) if (l[k] !== undefined) throw at(`${field}.${k}`, 'applies to conv2d layers only', `leave ${k} out of pooling layers`);
  if (l.kernel === undefined) throw at(`${field}.kernel`, `is required for a ${l.kind} layer`, 'give the window as [FY, FX]');
  if (l.stride === undefined) throw at(`${field}.stride`, `is required for a ${l.kind} layer`, 'give the stride as [SY, SX]');
  return { kernel: l.kernel, stride: l.stride, padding: l.padding ?? [0, 0], dilation: l.dilation ?? [1, 1], groups: l.groups ?? 1 };
}

/** The facts of a layer's shapes (throws naming the field when the shapes are not those of its kind). */
function layerFacts(l: ActivityLayer, field: string, at: (field: string, problem: string, fix?: string) => InputError): LayerFacts {
  const { kernel, stride, padding, dilation, groups } = windowFacts(l, field, at);
  const shapeText = (s: Shape) => `[${s.join(', ')}]`;
  if (l.kind === 'dense') {
    if (l.inputShape.length !== 1) throw at(`${field}.inputShape`, `a dense layer takes a flat input [features], got ${shapeText(l.inputShape)}`, `give [${shapeSize(l.inputShape)}]`);
    if (l.outputShape.length !== 1) throw at(`${field}.outputShape`, `a dense layer gives a flat output [features], got ${shapeText(l.outputShape)}`, `give [${shapeSize(l.outputShape)}]`);
    return { inputs: l.inputShape[0], neurons: l.outputShape[0], weights: l.inputShape[0] * l.outputShape[0] };
  }
  if (l.inputShape.length !== 3) throw at(`${field}.inputShape`, `a ${l.kind} layer takes [C, H, W], got ${shapeText(l.inputShape)}`, 'give the input as [channels, height, width]');
  if (l.outputShape.length !== 3) throw at(`${field}.outputShape`, `a ${l.kind} layer gives [K, OY, OX], got ${shapeText(l.outputShape)}`, 'give the output as [channels, height, width]');
  const [C, H, W] = l.inputShape;
  const OY = windowOutput(H, kernel[0], stride[0], padding[0], dilation[0]);
  const OX = windowOutput(W, kernel[1], stride[1], padding[1], dilation[1]);
  if (OY < 1 || OX < 1) throw at(`${field}.kernel`, `the window ${shapeText(kernel)} does not fit the padded input ${H}×${W}`, 'check kernel, stride and padding');
  const K = l.kind === 'conv2d' ? l.outputShape[0] : C;
  if (C % groups !== 0 || K % groups !== 0) throw at(`${field}.groups`, `${groups} does not divide the ${C} input and ${K} output channels`, 'give a number of groups that divides both');
  const expected = [K, OY, OX];
  if (l.outputShape.some((d, i) => d !== expected[i])) {
    const why = l.kind === 'conv2d' ? '' : ' (pooling keeps the channels)';
    throw at(`${field}.outputShape`, `${shapeText(l.outputShape)} is not what the window gives: [${expected.join(', ')}]${why}`, 'give the output shape of kernel, stride, padding and dilation (floor((H + 2·P − D·(F − 1) − 1) / S) + 1)');
  }
  return { inputs: C * H * W, neurons: K * OY * OX, weights: l.kind === 'conv2d' ? K * (C / groups) * kernel[0] * kernel[1] : 0 };
}

/** The checks zod cannot express: shapes that chain, counts within what the shapes allow, fields of the family. */
function checkActivity(doc: ActivityDoc, file: string): void {
  const at = (field: string, problem: string, fix = FIX) => InputError.at({ file, field, problem, fix });
  const snn = doc.family === 'snn';
  const T = doc.timesteps;
  if (!snn && T !== 1) throw at('timesteps', `an ANN runs one step per inference, got ${T}`, 'give timesteps 1 for family "ann"');
  if (snn && doc.engine !== undefined) throw at('engine', 'applies to ANNs only', 'leave engine out of an SNN (see execution)');
  if (!snn && doc.execution !== undefined) throw at('execution', 'applies to SNNs only', 'leave execution out of an ANN (see engine)');
  const numeric = doc.numeric ?? { kind: 'fp', weightBits: 32, activationBits: 32 };
  if (numeric.kind === 'fp' && (numeric.weightBits !== 32 || numeric.activationBits !== 32)) throw at('numeric', `fp arithmetic is counted at 32 bits, got weights ${numeric.weightBits} and activations ${numeric.activationBits}`, 'give {"kind": "fp", "weightBits": 32, "activationBits": 32}, or kind "int" for a quantized ANN');
  if (snn && numeric.kind !== 'fp') throw at('numeric.kind', 'joulebench counts SNNs in fp32 only', 'give {"kind": "fp", "weightBits": 32, "activationBits": 32} (or leave numeric out)');
  const names = new Set<string>();
  const last = doc.layers.length - 1;
  let prev: { size: number; name: string } | null = null;
  doc.layers.forEach((l, i) => {
    const field = `layers[${i}]`;
    if (names.has(l.name)) throw at(`${field}.name`, `"${excerpt(l.name, 40)}" names an earlier layer too`, 'give every layer its own name');
    names.add(l.name);
    const facts = layerFacts(l, field, at);
    if (prev !== null && facts.inputs !== prev.size) {
      throw at(`${field}.inputShape`, `holds ${facts.inputs} values but layer ${excerpt(prev.name, 40)} before it gives ${prev.size}`, 'make each layer\'s input shape hold as many values as the previous output shape (a dense layer takes the previous output flattened)');
    }
    prev = { size: shapeSize(l.outputShape), name: l.name };
    if (l.weights !== facts.weights) throw at(`${field}.weights`, `${l.weights} is not the weight count of its shapes (${facts.weights})`, l.kind === 'conv2d' ? 'give K·(C/G)·FY·FX' : l.kind === 'dense' ? 'give inputs × outputs' : 'give 0 for pooling');
    if (l.nonzeroWeights !== undefined && l.nonzeroWeights > l.weights) throw at(`${field}.nonzeroWeights`, `${l.nonzeroWeights} exceeds the ${l.weights} weights`, 'give the count of weights that are not zero');
    // the units at the output, by family
    const spiking = l.neuron === 'if' || l.neuron === 'lif' || l.neuron === 'cuba';
    if (snn) {
      if (l.neuron === 'relu') throw at(`${field}.neuron`, 'relu is an ANN activation', 'give if, lif or cuba (none for the read-out), or family "ann"');
      if (l.kind === 'maxpool2d') throw at(`${field}.kind`, 'max pooling has no spiking form in joulebench', 'record the SNN with average pooling, or family "ann"');
      if (!spiking && i !== last) throw at(`${field}.neuron`, 'only the read-out (last) layer of an SNN may be non-spiking: joulebench\'s engine has no non-spiking hidden layer', 'record the spiking neurons after this layer (give if, lif or cuba)');
      if (spiking && l.reset === undefined) throw at(`${field}.reset`, `is required for a spiking (${l.neuron}) layer`, 'give "subtract" or "zero"');
    } else {
      if (spiking) throw at(`${field}.neuron`, `${l.neuron} is a spiking neuron`, 'give relu or none for an ANN layer, or family "snn"');
      if (l.kind !== 'dense' && l.kind !== 'conv2d' && l.neuron !== 'none') throw at(`${field}.neuron`, 'a pooling layer has no activation', 'give none');
      if (l.input !== undefined && l.input !== 'analog') throw at(`${field}.input`, 'an ANN layer takes analog values', 'leave input out of ANN layers');
    }
    if (!spiking && l.reset !== undefined) throw at(`${field}.reset`, 'applies to spiking layers only', 'leave reset out');
    // activity within what the shapes allow
    const a = l.activity;
    const af = `${field}.activity`;
    for (const [key, total, limit] of [['inputEvents', a.inputEvents, facts.inputs], ['outputEvents', a.outputEvents, facts.neurons]] as const) {
      const steps = key === 'inputEvents' ? a.inputEventsPerTimestep : a.outputEventsPerTimestep;
      if (steps.length !== T) throw at(`${af}.${key}PerTimestep`, `has ${steps.length} values for ${T} timesteps`, 'give one mean per timestep');
      const over = steps.findIndex((v) => v > limit * (1 + SUM_TOLERANCE));
      if (over >= 0) throw at(`${af}.${key}PerTimestep[${over}]`, `${steps[over]} events in one step exceed the layer's ${limit} ${key === 'inputEvents' ? 'inputs' : 'outputs'}`, 'give mean events per sample and step');
      const sum = steps.reduce((s, v) => s + v, 0);
      if (!close(sum, total)) throw at(`${af}.${key}`, `${total} is not the sum of ${key}PerTimestep (${sum})`, 'give the total per inference and its split over the timesteps');
    }
    if (snn && !spiking && a.outputEvents !== 0) throw at(`${af}.outputEvents`, `a non-spiking read-out emits no events, got ${a.outputEvents}`, 'give 0 (its potentials are read once at the end)');
    const denseOps = (l.kind === 'dense' ? facts.weights : l.kind === 'conv2d' ? facts.weights * l.outputShape[1] * l.outputShape[2] : inBoundsWindowPairs(l)) * T;
    if (a.synapticOps > denseOps * (1 + SUM_TOLERANCE)) throw at(`${af}.synapticOps`, `${a.synapticOps} exceeds the ${denseOps} operations of a dense pass at every step`, 'give the synaptic operations per inference (events × the outputs each reaches)');
    if (l.kind === 'dense' && !close(a.synapticOps, a.inputEvents * facts.neurons)) throw at(`${af}.synapticOps`, `a dense layer's input events each reach all ${facts.neurons} outputs: ${a.inputEvents} × ${facts.neurons} = ${a.inputEvents * facts.neurons}, got ${a.synapticOps}`, 'give input events × outputs');
    const allUpdates = facts.neurons * T;
    if (!snn) {
      if (a.neuronUpdates !== undefined && a.neuronUpdates !== 0) throw at(`${af}.neuronUpdates`, 'an ANN layer keeps no neuron state', 'leave neuronUpdates out of ANN layers (or give 0)');
    } else if ((doc.execution ?? 'time-stepped') === 'time-stepped') {
      if (a.neuronUpdates !== undefined && !close(a.neuronUpdates, allUpdates)) throw at(`${af}.neuronUpdates`, `time-stepped execution updates every neuron at every step: ${facts.neurons} × ${T} = ${allUpdates}, got ${a.neuronUpdates}`, `give ${allUpdates}, leave it out, or set execution "event-driven"`);
    } else {
      if (a.neuronUpdates === undefined) throw at(`${af}.neuronUpdates`, 'is required for event-driven execution', 'give the mean neuron updates per inference');
      if (a.neuronUpdates > allUpdates * (1 + SUM_TOLERANCE)) throw at(`${af}.neuronUpdates`, `${a.neuronUpdates} exceeds ${facts.neurons} neurons × ${T} steps`, 'give the mean neuron updates per inference');
    }
  });
}

/** (window, input element) pairs inside the input: the synaptic ops of one dense pass of a pooling layer (padding excluded). */
function inBoundsWindowPairs(l: ActivityLayer): number {
  const [C, H, W] = l.inputShape;
  const [, OY, OX] = l.outputShape;
  const [FY, FX] = l.kernel!;
  const [SY, SX] = l.stride!;
  const [PY, PX] = l.padding ?? [0, 0];
  const along = (O: number, F: number, S: number, P: number, N: number): number => {
    let n = 0;
    for (let o = 0; o < O; o++) for (let f = 0; f < F; f++) if (o * S + f - P >= 0 && o * S + f - P < N) n++;
    return n;
  };
  return C * along(OY, FY, SY, PY, H) * along(OX, FX, SX, PX, W);
}
