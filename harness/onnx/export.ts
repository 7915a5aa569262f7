// A joulebench Model as an ONNX file (opset 13, float32 raw_data initializers): the inverse of
// importOnnx for dense, conv2d and pooling layers. Dense layers become Gemm (transB=0, so B is the
// [in][out] weight as stored), convolutions Conv with OIHW weights (group and dilations as the layer's), pooling MaxPool/AveragePool
// (count_include_pad=0, as joulebench pools), and a ReLU activation a Relu node. A Flatten goes
// before a dense layer that follows an image, a Reshape before a window layer that follows a vector.
import { layerGeometry, validateModelShapes } from '../layers.js';
import type { Layer, Model } from '../model.js';
import { convDilation, convGroups } from '../model.js';
import { ATTR, FLOAT, INT64, encodeModel, floatsToRaw } from './proto.js';

const OPSET = 13;
/** IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
const IR_VERSION = 7;
const BATCH = 'N';

type Obj = Record<string, unknown>;

const ints = (name: string, values: readonly number[]): Obj => ({ name, type: ATTR.INTS, ints: [...values] });
const int = (name: string, i: number): Obj => ({ name, type: ATTR.INT, i });

function floatTensor(name: string, dims: readonly number[], values: Float32Array): Obj {
  return { name, dims: [...dims], data_type: FLOAT, raw_data: floatsToRaw(values) };
}

function valueInfo(name: string, shape: readonly number[]): Obj {
  return { name, type: { tensor_type: { elem_type: FLOAT, shape: { dim: [{ dim_param: BATCH }, ...shape.map((d) => ({ dim_value: d }))] } } } };
}

/**
 * Conv weight [C][kh][kw][K/G] → ONNX OIHW [K][C/G][kh][kw]: output channel k of group g = ⌊k/(K/G)⌋
 * reads input channel c = g·C/G + ci at ONNX index ci (G = 1: [C][kh][kw][K] → [K][C][kh][kw]).
 */
export function toOihw(weight: Float32Array, C: number, FY: number, FX: number, K: number, G = 1): Float32Array {
  const out = new Float32Array(weight.length);
  const Cg = C / G;
  const Kg = K / G;
  for (let k = 0; k < K; k++) {
    const g = Math.floor(k / Kg);
    for (let ci = 0; ci < Cg; ci++) {
      const c = g * Cg + ci;
      for (let y = 0; y < FY; y++) {
        for (let x = 0; x < FX; x++) out[((k * Cg + ci) * FY + y) * FX + x] = weight[((c * FY + y) * FX + x) * Kg + (k - g * Kg)];
      }
    }
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export interface ExportOptions {
  /** Make every layer's output (after its activation) a graph output, in layer order. */
  readonly layerOutputs?: boolean;
  /**
   * Instrumentation computed inside the graph, vectorised: for the input of every layer k and for the
   * final output, `count_k` = nonzero elements per sample ([N, 1]); where `fanOut[k]` is given (one
   * value per input element), `synops_k` = Σ fanOut over the nonzero inputs per sample ([N, 1]);
   * where `effectiveFanOut[k]` is given, `effops_k` = Σ effectiveFanOut over the nonzero inputs and
   * `analog_k` = the inputs other than 0, 1 and −1, per sample ([N, 1]) (NeuroBench's counts).
   */
  readonly counters?: { readonly fanOut: readonly (Float32Array | null)[]; readonly effectiveFanOut?: readonly (Float32Array | null)[] };
}

/** Serializes a Model as ONNX bytes. Node names are the layer names, so importOnnx restores them. */
export function exportOnnx(model: Model, options: ExportOptions = {}): Uint8Array {
  validateModelShapes(model.inputShape, model.layers);
  const nodes: Obj[] = [];
  const initializer: Obj[] = [];
  let tensor = 'input';
  let shape: readonly number[] = model.inputShape;
  const layerOutputs: Obj[] = [];

  const node = (op: string, name: string, inputs: string[], attribute: Obj[] = []): void => {
    const out = `${name}_out`;
    nodes.push({ op_type: op, name, input: inputs, output: [out], attribute });
    tensor = out;
  };

  /** Brings the activation to the shape a layer expects: a Flatten for dense layers, a Reshape for window layers. */
  const reshapeFor = (layer: Layer, wanted: readonly number[]): void => {
    if (sameShape(shape, wanted)) return;
    if (wanted.length === 1) {
      node('Flatten', `${layer.name}_flatten`, [tensor], [int('axis', 1)]);
    } else {
      const target = `${layer.name}_shape`;
      initializer.push({ name: target, dims: [wanted.length + 1], data_type: INT64, int64_data: [-1, ...wanted] });
      node('Reshape', `${layer.name}_reshape`, [tensor, target]);
    }
  };

  for (const layer of model.layers) {
    const g = layerGeometry(layer);
    reshapeFor(layer, g.inputShape);
    switch (layer.kind) {
      case 'dense':
        initializer.push(floatTensor(`${layer.name}.weight`, [layer.inFeatures, layer.outFeatures], layer.weight));
        initializer.push(floatTensor(`${layer.name}.bias`, [layer.outFeatures], layer.bias));
        node('Gemm', layer.name, [tensor, `${layer.name}.weight`, `${layer.name}.bias`], [int('transB', 0)]);
        break;
      case 'conv2d': {
        const [FY, FX] = layer.kernel;
        const K = layer.outChannels;
        const C = layer.inChannels;
        const G = convGroups(layer);
        initializer.push(floatTensor(`${layer.name}.weight`, [K, C / G, FY, FX], toOihw(layer.weight, C, FY, FX, K, G)));
        initializer.push(floatTensor(`${layer.name}.bias`, [K], layer.bias));
        node('Conv', layer.name, [tensor, `${layer.name}.weight`, `${layer.name}.bias`], [
          ints('kernel_shape', layer.kernel),
          ints('strides', layer.stride),
          ints('pads', [...layer.padding, ...layer.padding]),
          ints('dilations', convDilation(layer)),
          int('group', G),
        ]);
        break;
      }
      case 'maxpool2d':
      case 'avgpool2d': {
        const common = [ints('kernel_shape', layer.kernel), ints('strides', layer.stride), ints('pads', [...layer.padding, ...layer.padding]), int('ceil_mode', 0)];
        if (layer.kind === 'maxpool2d') node('MaxPool', layer.name, [tensor], common);
        else node('AveragePool', layer.name, [tensor], [...common, int('count_include_pad', 0)]);
        break;
      }
    }
    if ((layer.kind === 'dense' || layer.kind === 'conv2d') && layer.activation === 'relu') node('Relu', `${layer.name}_relu`, [tensor]);
    shape = g.outputShape;
    layerOutputs.push(valueInfo(tensor, shape));
  }

  const outputs = options.layerOutputs ? layerOutputs : [valueInfo(tensor, shape)];
  if (options.counters) {
    const tensors = [{ name: 'input', shape: model.inputShape }, ...layerOutputs.map((v, k) => ({ name: String(v.name), shape: layerGeometry(model.layers[k]).outputShape }))];
    initializer.push(floatTensor('jb_zero', [], new Float32Array([0])));
    tensors.forEach((t, k) => {
      const size = t.shape.reduce((a, b) => a * b, 1);
      const flat = `jb_flat_${k}`;
      nodes.push({ op_type: 'Flatten', name: flat, input: [t.name], output: [flat], attribute: [int('axis', 1)] });
      nodes.push({ op_type: 'Equal', name: `jb_eq_${k}`, input: [flat, 'jb_zero'], output: [`jb_eq_${k}`] });
      nodes.push({ op_type: 'Not', name: `jb_nz_${k}`, input: [`jb_eq_${k}`], output: [`jb_nz_${k}`] });
      nodes.push({ op_type: 'Cast', name: `jb_mask_${k}`, input: [`jb_nz_${k}`], output: [`jb_mask_${k}`], attribute: [int('to', FLOAT)] });
      initializer.push(floatTensor(`jb_ones_${k}`, [size, 1], new Float32Array(size).fill(1)));
      nodes.push({ op_type: 'MatMul', name: `count_${k}`, input: [`jb_mask_${k}`, `jb_ones_${k}`], output: [`count_${k}`] });
      outputs.push(valueInfo(`count_${k}`, [1]));
      const fan = options.counters!.fanOut[k];
      if (fan) {
        if (fan.length !== size) throw new Error(`ONNX export: fan-out vector of layer ${k} has ${fan.length} values for ${size} inputs`);
        initializer.push(floatTensor(`jb_fanout_${k}`, [size, 1], fan));
        nodes.push({ op_type: 'MatMul', name: `synops_${k}`, input: [`jb_mask_${k}`, `jb_fanout_${k}`], output: [`synops_${k}`] });
        outputs.push(valueInfo(`synops_${k}`, [1]));
      }
      const eff = options.counters!.effectiveFanOut?.[k];
      if (eff) {
        if (eff.length !== size) throw new Error(`ONNX export: effective fan-out vector of layer ${k} has ${eff.length} values for ${size} inputs`);
        initializer.push(floatTensor(`jb_efffan_${k}`, [size, 1], eff));
        nodes.push({ op_type: 'MatMul', name: `effops_${k}`, input: [`jb_mask_${k}`, `jb_efffan_${k}`], output: [`effops_${k}`] });
        outputs.push(valueInfo(`effops_${k}`, [1]));
        if (!initializer.some((t) => t.name === 'jb_one')) initializer.push(floatTensor('jb_one', [], new Float32Array([1])));
        nodes.push({ op_type: 'Abs', name: `jb_abs_${k}`, input: [flat], output: [`jb_abs_${k}`] });
        nodes.push({ op_type: 'Equal', name: `jb_eq1_${k}`, input: [`jb_abs_${k}`, 'jb_one'], output: [`jb_eq1_${k}`] });
        nodes.push({ op_type: 'Or', name: `jb_bin_${k}`, input: [`jb_eq_${k}`, `jb_eq1_${k}`], output: [`jb_bin_${k}`] });
        nodes.push({ op_type: 'Not', name: `jb_analog_${k}`, input: [`jb_bin_${k}`], output: [`jb_analog_${k}`] });
        nodes.push({ op_type: 'Cast', name: `jb_analogf_${k}`, input: [`jb_analog_${k}`], output: [`jb_analogf_${k}`], attribute: [int('to', FLOAT)] });
        nodes.push({ op_type: 'MatMul', name: `analog_${k}`, input: [`jb_analogf_${k}`, `jb_ones_${k}`], output: [`analog_${k}`] });
        outputs.push(valueInfo(`analog_${k}`, [1]));
      }
    });
  }

  const proto = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'joulebench',
    doc_string: `joulebench model ${model.id}`,
    graph: {
      name: model.id,
      node: nodes,
      initializer,
      input: [valueInfo('input', model.inputShape)],
      output: outputs,
    },
  };
  return encodeModel(proto);
}
