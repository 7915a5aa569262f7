// "Bring your own model": an ONNX file of an MLP or CNN becomes a joulebench Model (a chain of
// dense, conv2d and pooling layers) that runs on the ANN backends and converts to the SNN backends.
//
// The graph is walked from its single input along the single chain of nodes to its single output.
// Each node either starts a layer (Gemm, MatMul, Conv with any group and dilations, MaxPool,
// AveragePool, GlobalAveragePool, GlobalMaxPool), changes the layer just started (Add of a constant =
// bias, BatchNormalization folded into the weights, Relu = the layer's activation, also across
// MaxPool, a zero Pad folded into the next Conv) or only reinterprets the activation's shape (Flatten,
// Reshape, Identity, Dropout, a trailing Softmax/LogSoftmax). Constants and reshape-target
// computations (Shape, Gather, Unsqueeze, Concat, …) sit beside the chain. Anything else is an
// InputError naming the file, the node (index and name), the op and what to do instead: the import is
// exact or it fails.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../../core/errors.js';
import { pathError } from '../../core/documents.js';
import { validateModelShapes } from '../../harness/layers.js';
import type { Conv2dLayer, DenseLayer, Layer, Model, Pool2dLayer } from '../../harness/model.js';
import { isSynaptic, weightOutputChannel, windowOutput } from '../../harness/model.js';
import { shapeSize } from '../../core/geometry.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from '../../harness/onnx/proto.js';
import { FLOAT, INT32, INT64, dataTypeName, decodeModel, rawToFloats } from '../../harness/onnx/proto.js';

/** What to do instead, for unsupported ops a user is likely to meet. */
const HINTS: Readonly<Record<string, string>> = {
  Gather: 'Gather is supported only inside a reshape-target computation (Shape → Gather → Unsqueeze → Concat → Reshape); export with constant folding (do_constant_folding=True)',
  Concat: 'joulebench imports a single chain of layers; concatenation of branches is not representable',
  Transpose: 'joulebench activations are channels-first (NCHW); export a channels-first model (for Keras/tf2onnx: --inputs-as-nchw) without Transpose nodes',
  Sigmoid: 'joulebench layers use ReLU or no activation; retrain with ReLU',
  Tanh: 'joulebench layers use ReLU or no activation; retrain with ReLU',
  LeakyRelu: 'joulebench layers use ReLU or no activation; retrain with ReLU',
  Clip: 'ReLU6/clipping is not representable; retrain with plain ReLU',
  Sub: 'input normalization inside the graph is not supported; joulebench feeds pixels scaled to [0, 1]: fold the normalization into the first layer\'s weights and bias before export',
  Div: 'input normalization inside the graph is not supported; joulebench feeds pixels scaled to [0, 1]: fold the normalization into the first layer\'s weights and bias before export',
  Mul: 'element-wise scaling is not supported; fold constant scales into the neighbouring layer before export',
};

/**
 * The largest magnitude a weight, bias or other float parameter may have. Trained weights are orders
 * of magnitude smaller; beyond this, float32 sums overflow to Infinity within a few layers (and
 * NaN/Infinity, or ±3.4e38, are a broken export), so such a file is refused rather than run.
 */
export const MAX_ABS_PARAMETER = 1e6;
const PARAMETER_FIX = `weights must be finite numbers of magnitude ≤ ${MAX_ABS_PARAMETER}: check the training (divergence) or the export, and re-export the model`;

function describeValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : `${v.toPrecision(3)} (beyond ±${MAX_ABS_PARAMETER})`;
}

/** The bytes of an ONNX file; a missing or unreadable file, or a folder, is an InputError. */
export function readOnnxFile(path: string): Uint8Array {
  if (existsSync(path) && statSync(path).isDirectory()) throw pathError('ONNX model', path, 'is a directory, not a file', 'name the .onnx file itself');
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`ONNX model ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
  }
}

/** Reads an ONNX file and imports it (see importOnnx). */
export function loadOnnxFile(path: string): Model {
  return importOnnx(readOnnxFile(path), path);
}

/** The model id of an imported file: "onnx:" + the file name without directory and .onnx extension. */
export function onnxModelId(origin: string): string {
  return `onnx:${basename(origin).replace(/\.onnx$/i, '')}`;
}

/**
 * Imports ONNX ModelProto bytes as a joulebench Model. `origin` (a file name) is used in error
 * messages and for the model id. Throws InputError for malformed bytes and for any graph joulebench
 * cannot represent exactly.
 */
export function importOnnx(bytes: Uint8Array, origin: string): Model {
  let proto: OnnxModel;
  try {
    proto = decodeModel(bytes);
  } catch (e) {
    throw new InputError(`${origin}: not a valid ONNX model: ${(e as Error).message}; check that the file is a complete .onnx file (ModelProto)`);
  }
  if (!proto.ir_version || !proto.graph) {
    throw new InputError(`${origin}: not a valid ONNX model: ${!proto.ir_version ? 'no ir_version field' : 'no graph'}; check that the file is a complete .onnx file (ModelProto)`);
  }
  if (proto.graph.node.length === 0) throw new InputError(`${origin}: the graph has no nodes; export a model with at least one Gemm, MatMul or Conv`);
  return new Importer(origin, proto.graph).run();
}

interface Located {
  readonly node: OnnxNode;
  readonly index: number;
}

type MutableLayer = { -readonly [K in keyof DenseLayer]: DenseLayer[K] } | { -readonly [K in keyof Conv2dLayer]: Conv2dLayer[K] } | Pool2dLayer;

class Importer {
  /** What each op does to the chain (Constant nodes are read before the walk and never reached). */
  static readonly handlers: Readonly<Record<string, (self: Importer, at: Located, tensor: string) => void>> = {
    Gemm: (self, at) => self.gemm(at),
    MatMul: (self, at) => self.matmul(at),
    Add: (self, at, tensor) => self.addBias(at, tensor),
    Conv: (self, at) => self.conv(at),
    BatchNormalization: (self, at) => self.batchNorm(at),
    Relu: (self, at) => self.relu(at),
    MaxPool: (self, at) => self.pool(at, 'maxpool2d'),
    AveragePool: (self, at) => self.pool(at, 'avgpool2d'),
    GlobalAveragePool: (self, at) => self.globalPool(at, 'avgpool2d'),
    GlobalMaxPool: (self, at) => self.globalPool(at, 'maxpool2d'),
    Flatten: (self, at) => self.flatten(at),
    Reshape: (self, at) => self.reshape(at),
    Pad: (self, at) => self.pad(at),
    Identity: () => {},
    Dropout: () => {}, // inference: passes its input through
    Softmax: (self, at) => self.trailingSoftmax(at),
    LogSoftmax: (self, at) => self.trailingSoftmax(at),
    Constant: () => {},
  };

  private readonly consts = new Map<string, OnnxTensor>();
  private readonly consumers = new Map<string, Located[]>();
  private readonly layers: MutableLayer[] = [];
  private readonly names = new Set<string>();
  /**
   * Nodes beside the chain: Constant nodes, Identity nodes that rename a constant, and the nodes of a
   * reshape-target computation (Shape → Gather → Unsqueeze → Concat, as PyTorch writes x.view(x.size(0), -1)
   * with a symbolic batch), evaluated when the Reshape needs them.
   */
  private readonly sideNodes = new Set<number>();
  /** Producers of shape-valued tensors (outputs of the side nodes of a reshape-target computation). */
  private readonly shapeProducers = new Map<string, Located>();
  /** Per-sample shape of each chain tensor walked so far (what a Shape node reads). */
  private readonly chainShapes = new Map<string, readonly number[]>();
  /** Per-sample shape of the graph input and of the current activation (no batch dimension). */
  private inputShape: number[] = [];
  private shape: number[] = [];
  /** Batch dimension of the graph input when it is a number (undefined when symbolic). */
  private batch: number | undefined;
  /** True when the current activation is known to be ≥ 0 (a ReLU layer, possibly followed by pooling). */
  private nonNegative = false;
  /** True while the last layer may still take a bias Add, a BatchNormalization or its ReLU. */
  private open = false;
  /** A zero Pad node waiting to be folded into the Conv that must come next. */
  private pendingPad: { readonly at: Located; readonly padding: readonly [number, number] } | undefined;

  constructor(
    private readonly origin: string,
    private readonly graph: OnnxGraph,
  ) {}

  run(): Model {
    const g = this.graph;
    for (const t of g.initializer) if (t.name) this.consts.set(t.name, t);
    // Nodes are topologically sorted (an ONNX requirement), so one pass finds constants built from constants.
    g.node.forEach((node, index) => {
      if (node.op_type === 'Constant') this.registerConstant({ node, index });
      else if (node.op_type === 'Identity' && this.consts.has(node.input[0]) && node.output[0]) {
        this.consts.set(node.output[0], { ...this.consts.get(node.input[0])!, name: node.output[0] });
        this.sideNodes.add(index);
      } else if (this.isShapeComputation(node)) {
        for (const o of node.output) if (o) this.shapeProducers.set(o, { node, index });
        this.sideNodes.add(index);
      }
    });
    g.node.forEach((node, index) => {
      if (!this.sideNodes.has(index)) this.checkSupported({ node, index });
    });
    g.node.forEach((node, index) => {
      if (this.sideNodes.has(index)) return;
      for (const name of node.input) {
        if (!name || this.consts.has(name)) continue;
        const list = this.consumers.get(name) ?? [];
        list.push({ node, index });
        this.consumers.set(name, list);
      }
    });

    const input = this.readInput();
    const outputs = g.output.map((o) => o.name ?? '');
    if (outputs.length !== 1) {
      throw this.fail(`the graph has ${outputs.length} outputs (${outputs.join(', ')}); joulebench imports models with exactly one output (the class scores)`);
    }
    const visited = new Set<number>();
    let tensor = input;
    for (;;) {
      this.chainShapes.set(tensor, [...this.shape]);
      const users = this.consumers.get(tensor) ?? [];
      if (users.length === 0) break;
      if (users.length > 1) {
        throw this.fail(`tensor "${tensor}" feeds ${users.length} nodes (${users.map((u) => this.label(u)).join(', ')}); joulebench imports a single chain of layers without branches`);
      }
      const at = users[0];
      visited.add(at.index);
      tensor = this.apply(at, tensor);
    }
    if (this.pendingPad) throw this.padNotFolded();
    if (tensor !== outputs[0]) {
      throw this.fail(`the chain of nodes from input "${input}" ends at tensor "${tensor}", not at the graph output "${outputs[0]}"; joulebench imports a single chain of layers from input to output`);
    }
    g.node.forEach((node, index) => {
      if (!this.sideNodes.has(index) && !visited.has(index)) {
        throw this.fail(`${this.label({ node, index })} is not on the chain from input "${input}" to output "${outputs[0]}"; remove unused nodes (e.g. with onnx-simplifier) or export a single-chain model`);
      }
    });
    if (!this.layers.some(isSynaptic)) throw this.fail('the graph has no Gemm, MatMul or Conv node; there is nothing to benchmark');

    const layers = this.layers.map((l) => ({ ...l }) as Layer);
    // folding (BatchNormalization, bias Adds) can overflow parameters that were each in range
    for (const l of layers) {
      if (!isSynaptic(l)) continue;
      for (const [what, values] of [['weights', l.weight], ['bias', l.bias]] as const) {
        const bad = values.findIndex((v) => !(Math.abs(v) <= MAX_ABS_PARAMETER));
        if (bad >= 0) throw this.fail(`layer ${l.name}: its ${what} after folding hold ${describeValue(values[bad])} at index ${bad}; ${PARAMETER_FIX}`);
      }
    }
    try {
      validateModelShapes(this.inputShape, layers);
    } catch (e) {
      throw this.fail(`imported layers are inconsistent: ${(e as Error).message}`);
    }
    return { id: onnxModelId(this.origin), inputShape: this.inputShape, layers };
  }

  // ---- graph structure ---------------------------------------------------------------------------

  private fail(message: string): InputError {
    return new InputError(`${this.origin}: ${message}`);
  }

  private label(at: Located): string {
    return `node ${at.index}${at.node.name ? ` "${at.node.name}"` : ''} (${at.node.op_type ?? '?'})`;
  }

  private failAt(at: Located, message: string): InputError {
    return this.fail(`${this.label(at)}: ${message}`);
  }

  private registerConstant(at: Located): void {
    const value = at.node.attribute.find((a) => a.name === 'value');
    if (!value?.t || at.node.attribute.length !== 1) {
      throw this.failAt(at, 'only Constant nodes with a tensor "value" attribute are supported; re-export with constant folding so constants are initializers');
    }
    const out = at.node.output[0];
    if (out) this.consts.set(out, { ...value.t, name: out });
    this.sideNodes.add(at.index);
  }

  private checkSupported(at: Located): void {
    const op = at.node.op_type ?? '';
    const domain = at.node.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx') {
      throw this.failAt(at, `op domain "${domain}" is not supported; joulebench imports standard ONNX ops only (${SUPPORTED_ONNX_OPS.join(', ')})`);
    }
    if (!Object.hasOwn(Importer.handlers, op)) {
      const hint = HINTS[op] ?? `supported ops: ${SUPPORTED_ONNX_OPS.join(', ')}; re-export the model without it`;
      throw this.failAt(at, `op ${op} is not supported; ${hint}`);
    }
    if (op === 'Add') {
      const [a, b] = at.node.input;
      if (!this.consts.has(a) && !this.consts.has(b)) {
        throw this.failAt(at, 'adds two activations; residual connections are not supported (Add is accepted only as a constant bias after Gemm, MatMul or Conv)');
      }
    }
  }

  private readInput(): string {
    const graphInputs = this.graph.input.filter((v) => !this.consts.has(v.name ?? ''));
    if (graphInputs.length !== 1) {
      throw this.fail(`the graph has ${graphInputs.length} inputs (${graphInputs.map((v) => v.name).join(', ')}) besides initializers; joulebench imports models with exactly one input tensor`);
    }
    const v = graphInputs[0];
    const name = v.name ?? '';
    const tt = v.type?.tensor_type;
    if (!tt) throw this.fail(`input "${name}" is not a tensor; the model input must be a float32 tensor [N, features] or [N, C, H, W]`);
    if (tt.elem_type !== FLOAT) throw this.fail(`input "${name}" has element type ${dataTypeName(tt.elem_type)}; the model input must be float32 (1)`);
    const dims = tt.shape?.dim;
    if (!dims || dims.length < 2) {
      throw this.fail(`input "${name}" has ${dims ? `rank ${dims.length}` : 'no shape'}; the input must have a batch dimension and a fixed sample shape, e.g. [N, 784] or [N, 1, 28, 28]`);
    }
    this.batch = dims[0].dim_value !== undefined && dims[0].dim_value > 0 ? dims[0].dim_value : undefined;
    const sample = dims.slice(1).map((d, i) => {
      if (d.dim_value === undefined || d.dim_value < 1) {
        throw this.fail(`input "${name}" dimension ${i + 1} is ${d.dim_param ? `symbolic ("${d.dim_param}")` : 'unknown'}; only the batch dimension (0) may be symbolic: export with a fixed sample shape`);
      }
      return d.dim_value;
    });
    this.inputShape = sample;
    this.shape = [...sample];
    return name;
  }

  /** The tensors a node produces besides its first must go unused (Dropout mask, MaxPool indices, BN running stats). */
  private requireSingleOutput(at: Located): string {
    const [first, ...rest] = at.node.output;
    for (const o of rest) {
      if (o && (this.consumers.has(o) || this.graph.output.some((v) => v.name === o))) {
        throw this.failAt(at, `its extra output "${o}" is used; only the first output of this op is supported`);
      }
    }
    if (!first) throw this.failAt(at, 'has no output');
    return first;
  }

  // ---- attributes and constants ------------------------------------------------------------------

  private attr(at: Located, name: string): OnnxAttribute | undefined {
    return at.node.attribute.find((a) => a.name === name);
  }

  private intAttr(at: Located, name: string, fallback: number): number {
    return this.attr(at, name)?.i ?? fallback;
  }

  private floatAttr(at: Located, name: string, fallback: number): number {
    return this.attr(at, name)?.f ?? fallback;
  }

  private intsAttr(at: Located, name: string): number[] | undefined {
    const a = this.attr(at, name);
    return a ? [...a.ints] : undefined;
  }

  private stringAttr(at: Located, name: string, fallback: string): string {
    const a = this.attr(at, name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  /** The constant (initializer or Constant output) at input position `pos`; an InputError when it is an activation or absent. */
  private constInput(at: Located, pos: number, role: string): OnnxTensor {
    const name = at.node.input[pos];
    const t = name ? this.consts.get(name) : undefined;
    if (!t) throw this.failAt(at, `its ${role} (input ${pos}${name ? ` "${name}"` : ''}) must be a constant initializer; export with constant folding so weights are initializers`);
    return t;
  }

  private optionalConst(at: Located, pos: number, role: string): OnnxTensor | undefined {
    return at.node.input[pos] ? this.constInput(at, pos, role) : undefined;
  }

  private floats(at: Located, t: OnnxTensor, role: string): Float32Array {
    const name = `initializer "${t.name ?? ''}" (${role} of ${this.label(at)})`;
    if (t.data_location === 1) throw this.fail(`${name} is stored in an external data file; save the model with all tensors inside the .onnx file (onnx.save(model, path, save_as_external_data=False))`);
    if (t.data_type !== FLOAT) throw this.fail(`${name} has data type ${dataTypeName(t.data_type)}; only float32 (1) weights are supported: convert the model to float32 before export`);
    const n = shapeSize(t.dims);
    let data: Float32Array;
    if (t.raw_data && t.raw_data.length > 0) {
      if (t.raw_data.length !== 4 * n) throw this.fail(`${name} has ${t.raw_data.length} bytes of raw_data for dims [${t.dims.join(', ')}] (expected ${4 * n}); the file is corrupt: re-export it`);
      data = rawToFloats(t.raw_data);
    } else {
      if (t.float_data.length !== n) throw this.fail(`${name} has ${t.float_data.length} values for dims [${t.dims.join(', ')}] (expected ${n}); the file is corrupt: re-export it`);
      data = Float32Array.from(t.float_data);
    }
    const bad = data.findIndex((v) => !(Math.abs(v) <= MAX_ABS_PARAMETER));
    if (bad >= 0) throw this.fail(`${name} holds ${describeValue(data[bad])} at index ${bad}; ${PARAMETER_FIX}`);
    return data;
  }

  private ints(at: Located, t: OnnxTensor, role: string): number[] {
    const name = `initializer "${t.name ?? ''}" (${role} of ${this.label(at)})`;
    const n = shapeSize(t.dims);
    if (t.data_type !== INT64 && t.data_type !== INT32) throw this.fail(`${name} has data type ${dataTypeName(t.data_type)}; expected int64 (7)`);
    const width = t.data_type === INT64 ? 8 : 4;
    if (t.raw_data && t.raw_data.length > 0) {
      if (t.raw_data.length !== width * n) throw this.fail(`${name} has ${t.raw_data.length} bytes of raw_data for ${n} values; the file is corrupt: re-export it`);
      const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
      return Array.from({ length: n }, (_, i) => (width === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true)));
    }
    const values = t.data_type === INT64 ? t.int64_data : t.int32_data;
    if (values.length !== n) throw this.fail(`${name} has ${values.length} values for dims [${t.dims.join(', ')}]; the file is corrupt: re-export it`);
    return [...values];
  }

  // ---- nodes -------------------------------------------------------------------------------------

  /** Applies one node to the chain; returns the tensor it produces. */
  private apply(at: Located, tensor: string): string {
    const op = at.node.op_type ?? '';
    if (op !== 'Add' && at.node.input[0] !== tensor) {
      throw this.failAt(at, `takes the activation "${tensor}" as input ${at.node.input.indexOf(tensor)}; it must be the first input (weights as the first operand are not supported)`);
    }
    const handler = Importer.handlers[op];
    if (!handler) throw this.failAt(at, `op ${op} is not supported`);
    if (this.pendingPad && op !== 'Conv') throw this.padNotFolded(at);
    handler(this, at, tensor);
    return this.requireSingleOutput(at);
  }

  private layerName(at: Located): string {
    const base = (at.node.name ?? '') || `${(at.node.op_type ?? 'layer').toLowerCase()}${at.index}`;
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  private push(layer: MutableLayer, open: boolean): void {
    this.layers.push(layer);
    this.open = open;
    this.nonNegative = layer.kind === 'maxpool2d' || layer.kind === 'avgpool2d' ? this.nonNegative : false;
  }

  private requireFlat(at: Located): number {
    if (this.shape.length !== 1) {
      throw this.failAt(at, `needs a 2-D input [N, features] but gets [N, ${this.shape.join(', ')}]; insert a Flatten before it`);
    }
    return this.shape[0];
  }

  private gemm(at: Located): void {
    const features = this.requireFlat(at);
    if (this.intAttr(at, 'transA', 0) !== 0) throw this.failAt(at, 'transA=1 is not supported (the activation must be [N, features]); re-export without transposing the input');
    const transB = this.intAttr(at, 'transB', 0);
    const alpha = this.floatAttr(at, 'alpha', 1);
    const beta = this.floatAttr(at, 'beta', 1);
    const bT = this.constInput(at, 1, 'weight B');
    if (bT.dims.length !== 2) throw this.failAt(at, `weight B has dims [${bT.dims.join(', ')}]; expected a 2-D matrix`);
    const B = this.floats(at, bT, 'weight B');
    const [inF, outF] = transB ? [bT.dims[1], bT.dims[0]] : [bT.dims[0], bT.dims[1]];
    if (inF !== features) throw this.failAt(at, `weight B (transB=${transB}) has ${inF} input features but the input has ${features}`);
    const weight = new Float32Array(inF * outF);
    for (let i = 0; i < inF; i++) {
      for (let j = 0; j < outF; j++) weight[i * outF + j] = alpha * (transB ? B[j * inF + i] : B[i * outF + j]);
    }
    const cT = this.optionalConst(at, 2, 'bias C');
    const bias = new Float32Array(outF);
    if (cT) {
      const C = this.floats(at, cT, 'bias C');
      const perOutput = C.length === outF && cT.dims.slice(0, -1).every((d) => d === 1);
      if (!perOutput && C.length !== 1) throw this.failAt(at, `bias C has dims [${cT.dims.join(', ')}]; expected [${outF}], [1, ${outF}] or a scalar`);
      for (let j = 0; j < outF; j++) bias[j] = beta * (perOutput ? C[j] : C[0]);
    }
    this.push({ kind: 'dense', name: this.layerName(at), inFeatures: inF, outFeatures: outF, weight, bias, activation: 'identity' }, true);
    this.shape = [outF];
  }

  private matmul(at: Located): void {
    const features = this.requireFlat(at);
    const bT = this.constInput(at, 1, 'weight');
    if (bT.dims.length !== 2) throw this.failAt(at, `weight has dims [${bT.dims.join(', ')}]; expected a 2-D matrix [in, out]`);
    const [inF, outF] = bT.dims;
    if (inF !== features) throw this.failAt(at, `weight has ${inF} input features but the input has ${features}`);
    const weight = this.floats(at, bT, 'weight');
    this.push({ kind: 'dense', name: this.layerName(at), inFeatures: inF, outFeatures: outF, weight, bias: new Float32Array(outF), activation: 'identity' }, true);
    this.shape = [outF];
  }

  /** The synaptic layer a bias, BN or ReLU may still change; an InputError naming `what` otherwise. */
  private openLayer(at: Located, what: string): MutableLayer & { kind: 'dense' | 'conv2d' } {
    const last = this.layers[this.layers.length - 1];
    if (!this.open || !last || (last.kind !== 'dense' && last.kind !== 'conv2d')) {
      throw this.failAt(at, `${what} must directly follow a Gemm, MatMul or Conv (before its Relu) so it can be folded into that layer`);
    }
    return last;
  }

  /** Per-output-channel values of a constant that broadcasts along the channel axis of the current activation. */
  private perChannel(at: Located, t: OnnxTensor, role: string, channels: number): Float32Array {
    const v = this.floats(at, t, role);
    if (v.length === 1) return new Float32Array(channels).fill(v[0]);
    const dims = [...t.dims];
    while (dims.length > 0 && dims[0] === 1 && dims.length > this.shape.length) dims.shift();
    const ok = v.length === channels && dims.length === this.shape.length && dims[0] === channels && dims.slice(1).every((d) => d === 1);
    if (!ok) throw this.failAt(at, `${role} has dims [${t.dims.join(', ')}]; expected one value per output channel (${channels}) broadcast over [${this.shape.join(', ')}]`);
    return v;
  }

  private addBias(at: Located, tensor: string): void {
    const other = at.node.input[0] === tensor ? 1 : 0;
    if (at.node.input[1 - other] !== tensor) throw this.failAt(at, `does not take "${tensor}" as an input`);
    const layer = this.openLayer(at, 'a bias Add');
    const K = layer.kind === 'dense' ? layer.outFeatures : layer.outChannels;
    const b = this.perChannel(at, this.constInput(at, other, 'bias'), 'bias', K);
    const bias = new Float32Array(K);
    for (let k = 0; k < K; k++) bias[k] = layer.bias[k] + b[k];
    layer.bias = bias;
  }

  private batchNorm(at: Located): void {
    if (this.intAttr(at, 'training_mode', 0) !== 0) throw this.failAt(at, 'training_mode=1 is not supported; export the model in eval mode (model.eval())');
    if (this.intAttr(at, 'spatial', 1) !== 1) throw this.failAt(at, 'spatial=0 is not supported; export with a current opset (≥ 9)');
    const layer = this.openLayer(at, 'BatchNormalization');
    const K = layer.kind === 'dense' ? layer.outFeatures : layer.outChannels;
    const eps = this.floatAttr(at, 'epsilon', 1e-5);
    const [gamma, beta, mean, variance] = ['scale', 'B', 'input_mean', 'input_var'].map((role, i) => {
      const t = this.constInput(at, i + 1, role);
      const v = this.floats(at, t, role);
      if (v.length !== K) throw this.failAt(at, `${role} has ${v.length} values; expected one per output channel (${K})`);
      return v;
    });
    // y = γ·(x − μ)/√(σ² + ε) + β with x = W·a + b  ⇒  W' = W·s, b' = (b − μ)·s + β, s = γ/√(σ² + ε).
    const s = Float64Array.from({ length: K }, (_, k) => gamma[k] / Math.sqrt(variance[k] + eps));
    const weight = new Float32Array(layer.weight.length);
    const channel = weightOutputChannel(layer);
    for (let i = 0; i < weight.length; i++) weight[i] = layer.weight[i] * s[channel(i)];
    const bias = Float32Array.from({ length: K }, (_, k) => (layer.bias[k] - mean[k]) * s[k] + beta[k]);
    layer.weight = weight;
    layer.bias = bias;
  }

  private relu(at: Located): void {
    if (this.nonNegative) return; // ReLU of values already ≥ 0 changes nothing
    // relu(maxpool(x)) = maxpool(relu(x)): a ReLU after max pooling moves onto the layer before the pools.
    let i = this.layers.length - 1;
    while (i >= 0 && this.layers[i].kind === 'maxpool2d') i--;
    const target = this.layers[i];
    if (!target || (target.kind !== 'dense' && target.kind !== 'conv2d')) {
      const why = target?.kind === 'avgpool2d' ? 'follows an AveragePool over values that can be negative' : 'has no Gemm, MatMul or Conv before it';
      throw this.failAt(at, `${why}; joulebench applies ReLU at the output of a Gemm, MatMul or Conv (optionally followed by MaxPool): move the Relu before the pooling`);
    }
    target.activation = 'relu';
    this.open = false;
    this.nonNegative = true;
  }

  /** Symmetric zero padding [py, px] from a node's pads / auto_pad for a window over the current H×W. */
  private windowPadding(at: Located, kernel: readonly [number, number], stride: readonly [number, number]): [number, number] {
    const autoPad = this.stringAttr(at, 'auto_pad', 'NOTSET');
    const [H, W] = [this.shape[1], this.shape[2]];
    if (autoPad === 'VALID') return [0, 0];
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const total = [H, W].map((n, a) => Math.max(0, (Math.ceil(n / stride[a]) - 1) * stride[a] + kernel[a] - n));
      if (total.some((t) => t % 2 !== 0)) {
        throw this.failAt(at, `auto_pad=${autoPad} needs asymmetric padding (total [${total.join(', ')}]) for input ${H}×${W}; joulebench supports symmetric padding only: pad explicitly and symmetrically`);
      }
      return [total[0] / 2, total[1] / 2];
    }
    if (autoPad !== 'NOTSET') throw this.failAt(at, `auto_pad="${autoPad}" is not known; use NOTSET, VALID, SAME_UPPER or SAME_LOWER`);
    const pads = this.intsAttr(at, 'pads') ?? [0, 0, 0, 0];
    if (pads.length !== 4) throw this.failAt(at, `pads [${pads.join(', ')}] must have 4 values [top, left, bottom, right] for a 2-D window`);
    if (pads[0] !== pads[2] || pads[1] !== pads[3] || pads.some((p) => p < 0)) {
      throw this.failAt(at, `asymmetric padding pads=[${pads.join(', ')}] is not supported; joulebench pads top = bottom and left = right: pad symmetrically`);
    }
    return [pads[0], pads[1]];
  }

  private requireImage(at: Located): [number, number, number] {
    if (this.shape.length !== 3) {
      throw this.failAt(at, `needs a 4-D input [N, C, H, W] but gets [N, ${this.shape.join(', ')}]; 2-D windows over [C, H, W] images are supported only`);
    }
    return [this.shape[0], this.shape[1], this.shape[2]];
  }

  private pair(at: Located, name: string, values: number[] | undefined, fallback: [number, number]): [number, number] {
    if (!values) return fallback;
    if (values.length !== 2 || values.some((v) => !Number.isInteger(v) || v < 1)) throw this.failAt(at, `${name}=[${values.join(', ')}] must be two positive integers for a 2-D window`);
    return [values[0], values[1]];
  }

  private outputHW(at: Located, kernel: readonly [number, number], stride: readonly [number, number], padding: readonly [number, number], dilation: readonly [number, number] = [1, 1]): [number, number] {
    const out: [number, number] = [windowOutput(this.shape[1], kernel[0], stride[0], padding[0], dilation[0]), windowOutput(this.shape[2], kernel[1], stride[1], padding[1], dilation[1])];
    const dilated = dilation[0] !== 1 || dilation[1] !== 1 ? ` (dilation ${dilation.join('×')})` : '';
    if (out.some((d) => d < 1)) throw this.failAt(at, `a ${kernel.join('×')} window${dilated} does not fit the ${this.shape[1]}×${this.shape[2]} input`);
    return out;
  }

  private conv(at: Located): void {
    const [C, H, W] = this.requireImage(at);
    const G = this.intAttr(at, 'group', 1);
    if (!Number.isInteger(G) || G < 1 || C % G !== 0) throw this.failAt(at, `group=${G} must be a positive integer dividing the ${C} input channels`);
    const wT = this.constInput(at, 1, 'weight');
    if (wT.dims.length !== 4) throw this.failAt(at, `weight has dims [${wT.dims.join(', ')}]; expected [out_channels, in_channels/group, kH, kW] (2-D convolution)`);
    const [K, Cw, FY, FX] = wT.dims;
    if (Cw * G !== C) throw this.failAt(at, `weight expects ${Cw} input channels per group × group=${G} but the input has ${C} channels`);
    if (K % G !== 0) throw this.failAt(at, `${K} output channels are not divisible by group=${G}`);
    const kernel = this.pair(at, 'kernel_shape', this.intsAttr(at, 'kernel_shape'), [FY, FX]);
    if (kernel[0] !== FY || kernel[1] !== FX) throw this.failAt(at, `kernel_shape [${kernel.join(', ')}] disagrees with the weight's [${FY}, ${FX}]`);
    const stride = this.pair(at, 'strides', this.intsAttr(at, 'strides'), [1, 1]);
    const dilation = this.pair(at, 'dilations', this.intsAttr(at, 'dilations'), [1, 1]);
    // a dilated kernel spans d·(k − 1) + 1 inputs: that span is what SAME padding must fit
    const span: [number, number] = [dilation[0] * (FY - 1) + 1, dilation[1] * (FX - 1) + 1];
    let padding = this.windowPadding(at, span, stride);
    if (this.pendingPad) {
      if (this.stringAttr(at, 'auto_pad', 'NOTSET').startsWith('SAME')) throw this.padNotFolded(at);
      padding = [padding[0] + this.pendingPad.padding[0], padding[1] + this.pendingPad.padding[1]];
      this.pendingPad = undefined;
    }
    const oihw = this.floats(at, wT, 'weight');
    // ONNX OIHW [K][C/G][kh][kw] → joulebench [C][kh][kw][K/G] (harness/model.ts, Conv2dLayer).
    const Kg = K / G;
    const weight = new Float32Array(oihw.length);
    for (let k = 0; k < K; k++) {
      const g = Math.floor(k / Kg);
      for (let ci = 0; ci < Cw; ci++) {
        const c = g * Cw + ci;
        for (let y = 0; y < FY; y++) {
          for (let x = 0; x < FX; x++) weight[((c * FY + y) * FX + x) * Kg + (k - g * Kg)] = oihw[((k * Cw + ci) * FY + y) * FX + x];
        }
      }
    }
    const bT = this.optionalConst(at, 2, 'bias');
    const bias = bT ? this.floats(at, bT, 'bias') : new Float32Array(K);
    if (bias.length !== K) throw this.failAt(at, `bias has ${bias.length} values; expected ${K} (one per output channel)`);
    const [OY, OX] = this.outputHW(at, kernel, stride, padding, dilation);
    const extra = { ...(G !== 1 ? { groups: G } : {}), ...(dilation[0] !== 1 || dilation[1] !== 1 ? { dilation } : {}) };
    this.push({ kind: 'conv2d', name: this.layerName(at), inChannels: C, outChannels: K, inputHW: [H, W], kernel, stride, padding, ...extra, weight, bias, activation: 'identity' }, true);
    this.shape = [K, OY, OX];
  }

  private pool(at: Located, kind: Pool2dLayer['kind']): void {
    const [C, H, W] = this.requireImage(at);
    const kernel = this.pair(at, 'kernel_shape', this.intsAttr(at, 'kernel_shape'), [0, 0]);
    if (kernel[0] === 0) throw this.failAt(at, 'has no kernel_shape attribute; the file is not valid ONNX: re-export it');
    const stride = this.pair(at, 'strides', this.intsAttr(at, 'strides'), [1, 1]);
    const dil = this.intsAttr(at, 'dilations');
    if (dil && dil.some((d) => d !== 1)) throw this.failAt(at, `dilated pooling (dilations=[${dil.join(', ')}]) is not supported; use dilation 1`);
    if (this.intAttr(at, 'storage_order', 0) !== 0) throw this.failAt(at, 'storage_order=1 is not supported; export with the default row-major order');
    const padding = this.windowPadding(at, kernel, stride);
    if (kind === 'avgpool2d' && this.intAttr(at, 'count_include_pad', 0) !== 0 && (padding[0] > 0 || padding[1] > 0)) {
      throw this.failAt(at, 'count_include_pad=1 with padding is not supported (joulebench averages over the real inputs only); export with count_include_pad=False or without padding');
    }
    const [OY, OX] = this.outputHW(at, kernel, stride, padding);
    if (this.intAttr(at, 'ceil_mode', 0) !== 0) {
      const ceil = [H, W].map((n, a) => Math.ceil((n + 2 * padding[a] - kernel[a]) / stride[a]) + 1);
      if (ceil[0] !== OY || ceil[1] !== OX) {
        throw this.failAt(at, `ceil_mode=1 gives a ${ceil.join('×')} output where floor gives ${OY}×${OX}; joulebench supports floor mode only: export with ceil_mode=False`);
      }
    }
    this.push({ kind, name: this.layerName(at), channels: C, inputHW: [H, W], kernel, stride, padding }, false);
    this.shape = [C, OY, OX];
  }

  private globalPool(at: Located, kind: Pool2dLayer['kind']): void {
    const [C, H, W] = this.requireImage(at);
    this.push({ kind, name: this.layerName(at), channels: C, inputHW: [H, W], kernel: [H, W], stride: [1, 1], padding: [0, 0] }, false);
    this.shape = [C, 1, 1];
  }

  private flatten(at: Located): void {
    const rank = this.shape.length + 1;
    const raw = this.intAttr(at, 'axis', 1);
    const axis = raw < 0 ? raw + rank : raw;
    if (axis !== 1) throw this.failAt(at, `axis=${raw} is not supported; only Flatten(axis=1) to [N, features] is (keep the batch dimension first)`);
    this.reinterpret([shapeSize(this.shape)]);
  }

  private reshape(at: Located): void {
    if (this.intAttr(at, 'allowzero', 0) !== 0) throw this.failAt(at, 'allowzero=1 is not supported; export with the default allowzero=0');
    const target = this.shapeProducers.has(at.node.input[1]) ? this.reshapeTarget(at) : this.ints(at, this.constInput(at, 1, 'target shape'), 'target shape');
    const size = shapeSize(this.shape);
    const full = [this.batch ?? -1, ...this.shape];
    const bad = (why: string) => this.failAt(at, `reshape to [${target.join(', ')}] ${why}; only reshapes that keep the batch dimension first (e.g. [N, -1] to flatten) are supported`);
    if (target.length < 2) throw bad('drops the batch dimension');
    const first = target[0];
    if (!(first === 0 || first === -1 || first === (this.batch ?? 1))) throw bad('changes the batch dimension');
    const rest = target.slice(1).map((d, i) => (d === 0 ? (full[i + 1] ?? NaN) : d));
    if (rest.some((d) => Number.isNaN(d) || d < -1) || rest.filter((d) => d === -1).length > (first === -1 ? 0 : 1)) throw bad('has invalid dimensions');
    const known = rest.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const resolved = rest.map((d) => (d === -1 ? size / known : d));
    if (resolved.some((d) => !Number.isInteger(d) || d < 1) || shapeSize(resolved) !== size) throw bad(`does not keep the ${size} values of each sample`);
    this.reinterpret(resolved);
  }

  // ---- reshape targets computed from Shape -------------------------------------------------------

  private static readonly shapeOps = new Set(['Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast', 'Slice']);

  /** A Shape node, or a shape op whose inputs are all constants or shape values (at least one). */
  private isShapeComputation(node: OnnxNode): boolean {
    const op = node.op_type ?? '';
    if ((node.domain ?? '') !== '' || !Importer.shapeOps.has(op)) return false;
    if (op === 'Shape') return true;
    const inputs = node.input.filter((i) => i);
    return inputs.some((i) => this.shapeProducers.has(i)) && inputs.every((i) => this.shapeProducers.has(i) || this.consts.has(i));
  }

  /** The Reshape's target computed from Shape nodes; the batch dimension becomes 0 ("copy"). */
  private reshapeTarget(at: Located): number[] {
    const v = this.shapeValue(at.node.input[1], at);
    if (v.values.slice(1).includes('N')) throw this.failAt(at, `its target shape [${v.values.join(', ')}] moves the batch dimension; only reshapes that keep it first are supported`);
    return v.values.map((d) => (d === 'N' ? 0 : d));
  }

  /** Evaluates a shape-valued tensor: integers, with 'N' for the (symbolic) batch dimension. */
  private shapeValue(name: string, user: Located): { values: (number | 'N')[]; scalar: boolean } {
    const t = this.consts.get(name);
    if (t) return { values: this.ints(user, t, 'shape operand'), scalar: t.dims.length === 0 };
    const at = this.shapeProducers.get(name);
    if (!at) throw this.failAt(user, `input "${name}" is neither a constant nor computed from a Shape node; export with constant folding`);
    const arg = (i: number) => this.shapeValue(at.node.input[i], at);
    const constInts = (i: number, role: string) => this.ints(at, this.constInput(at, i, role), role);
    const normalizeAxis = (a: number, rank: number) => (a < 0 ? a + rank : a);
    switch (at.node.op_type) {
      case 'Shape': {
        const shape = this.chainShapes.get(at.node.input[0]);
        if (!shape) throw this.failAt(at, `reads the shape of "${at.node.input[0]}", which is not an activation of the chain before this point`);
        const full: (number | 'N')[] = [this.batch ?? 'N', ...shape];
        const start = normalizeAxis(this.intAttr(at, 'start', 0), full.length);
        const end = this.attr(at, 'end') ? normalizeAxis(this.intAttr(at, 'end', full.length), full.length) : full.length;
        return { values: full.slice(start, end), scalar: false };
      }
      case 'Gather': {
        const data = arg(0);
        const idxT = this.constInput(at, 1, 'indices');
        if (normalizeAxis(this.intAttr(at, 'axis', 0), 1) !== 0 || data.scalar) throw this.failAt(at, 'gathers from something other than a 1-D shape; only x.size(i)-style gathers are supported');
        const values = this.ints(at, idxT, 'indices').map((i) => data.values[normalizeAxis(i, data.values.length)]);
        if (values.some((v) => v === undefined)) throw this.failAt(at, 'indexes past the end of the shape');
        return { values, scalar: idxT.dims.length === 0 };
      }
      case 'Unsqueeze':
      case 'Squeeze': {
        const data = arg(0);
        const axes = at.node.input[1] ? constInts(1, 'axes') : (this.intsAttr(at, 'axes') ?? [0]);
        const ok = axes.length === 1 && axes[0] === 0 && (at.node.op_type === 'Unsqueeze' ? data.scalar : data.values.length === 1);
        if (!ok) throw this.failAt(at, `axes [${axes.join(', ')}] on a shape value are not supported; only scalar ↔ [1] at axis 0 is`);
        return { values: data.values, scalar: at.node.op_type === 'Squeeze' };
      }
      case 'Concat': {
        if (this.intAttr(at, 'axis', 0) !== 0) throw this.failAt(at, 'concatenates shape values along an axis other than 0');
        return { values: at.node.input.flatMap((_, i) => arg(i).values), scalar: false };
      }
      case 'Cast':
        return arg(0);
      case 'Slice': {
        const data = arg(0);
        const [starts, ends] = [constInts(1, 'starts'), constInts(2, 'ends')];
        const steps = at.node.input[4] ? constInts(4, 'steps') : [1];
        if (data.scalar || starts.length !== 1 || steps[0] !== 1) throw this.failAt(at, 'only a 1-D slice with step 1 of a shape value is supported');
        const n = data.values.length;
        const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
        return { values: data.values.slice(clamp(starts[0]), clamp(ends[0])), scalar: false };
      }
      default:
        throw this.failAt(at, 'is not a shape computation joulebench evaluates');
    }
  }

  /** A new view of the same channel-major values: no layer, but bias/BN folding ends here unless nothing changed. */
  private reinterpret(shape: number[]): void {
    const same = shape.length === this.shape.length && shape.every((d, i) => d === this.shape[i]);
    if (!same) this.open = false;
    this.shape = shape;
  }

  /**
   * Pad: a no-op when every pad is 0 (PyTorch writes such a Pad before each AveragePool); symmetric zero
   * padding of H and W directly before a Conv is folded into the Conv's padding; anything else is refused.
   */
  private pad(at: Located): void {
    const rank = this.shape.length + 1;
    const mode = this.stringAttr(at, 'mode', 'constant');
    const pads = at.node.input[1] ? this.ints(at, this.constInput(at, 1, 'pads'), 'pads') : (this.intsAttr(at, 'pads') ?? []);
    const value = at.node.input[2] ? this.floats(at, this.constInput(at, 2, 'constant_value'), 'constant_value')[0] : this.floatAttr(at, 'value', 0);
    let full = pads;
    if (at.node.input[3]) {
      const axes = this.ints(at, this.constInput(at, 3, 'axes'), 'axes').map((a) => (a < 0 ? a + rank : a));
      full = new Array<number>(2 * rank).fill(0);
      axes.forEach((a, i) => {
        full[a] = pads[i];
        full[a + rank] = pads[i + axes.length];
      });
    }
    if (full.length !== 2 * rank) throw this.failAt(at, `pads [${pads.join(', ')}] do not match a rank-${rank} input; the file is not valid ONNX: re-export it`);
    if (full.every((p) => p === 0)) return;
    const [py, px] = [full[2], full[3]];
    const onlyHW = rank === 4 && full[0] === 0 && full[1] === 0 && full[4] === 0 && full[5] === 0;
    if (!onlyHW || full[6] !== py || full[7] !== px || py < 0 || px < 0 || mode !== 'constant' || value !== 0) {
      throw this.failAt(at, `pads=[${full.join(', ')}] (mode ${mode}, value ${value}) are not supported; only symmetric zero padding of H and W directly before a Conv (folded into its pads) is: put the padding into the Conv`);
    }
    this.pendingPad = { at, padding: [py, px] };
  }

  private padNotFolded(next?: Located): InputError {
    const pad = this.pendingPad!;
    const where = next ? `is followed by ${this.label(next)}` : 'ends the graph';
    return this.failAt(pad.at, `zero padding [${pad.padding.join(', ')}] ${where}, not by a Conv with explicit pads; joulebench folds a Pad only into the Conv right after it: put the padding into the Conv or pooling pads`);
  }

  private trailingSoftmax(at: Located): void {
    const out = at.node.output[0];
    if ((this.consumers.get(out) ?? []).length > 0) {
      throw this.failAt(at, 'is not the last node; Softmax/LogSoftmax is accepted only at the end of the graph (where it does not change the predicted class)');
    }
    if (this.shape.length !== 1) throw this.failAt(at, `normalizes a [N, ${this.shape.join(', ')}] tensor; a trailing Softmax is accepted only over [N, classes]`);
    const rank = 2;
    const raw = this.intAttr(at, 'axis', -1);
    const axis = raw < 0 ? raw + rank : raw;
    if (axis !== 1) throw this.failAt(at, `axis=${raw} is not the class axis; a trailing Softmax is accepted only over the classes (axis 1 or -1)`);
    // Dropped: softmax is monotonic, so the class with the largest score (what joulebench reports) is unchanged.
  }
}

/** The ONNX ops the importer understands (default domain). */
export const SUPPORTED_ONNX_OPS: readonly string[] = Object.keys(Importer.handlers);
