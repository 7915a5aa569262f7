// A workload from a user's ONNX file: the imported model (no training) on an MNIST-format dataset.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { SampleSet } from '../../harness/data.js';
import { InputError } from '../../core/errors.js';
import { layerGeometry } from '../../harness/layers.js';
import type { Model } from '../../harness/model.js';
import { shapeSize } from '../../core/geometry.js';
import type { DatasetId } from '../datasets/idx-images.js';
import { loadImageDataset } from '../datasets/idx-images.js';
import type { ArrayRef } from '../datasets/user-data.js';
import { loadUserSamples } from '../datasets/user-data.js';
import type { PreparedWorkload, Workload } from '../workload.js';
import { importOnnx, onnxModelId, readOnnxFile } from './import.js';

const DATASET_TITLES: Readonly<Record<DatasetId, string>> = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' };

/**
 * The workload `onnx:<file name without .onnx>` running the model in `path` on `dataset`. Its inputs
 * are the dataset's images scaled to [0, 1] (the model must expect that: normalization layers inside
 * the graph are not supported). prepare() reads and imports the file and checks that the model's
 * input and output sizes fit the dataset.
 */
export function onnxWorkload(path: string, dataset: DatasetId): Workload {
  const file = basename(path);
  return {
    id: onnxModelId(path),
    title: `ONNX model ${file} on ${DATASET_TITLES[dataset]}`,
    dataset,
    task: 'classification',
    metric: 'accuracy',
    snnCoding: 'rate',
    prepare(log): PreparedWorkload {
      const bytes = readOnnxFile(path);
      const model = importOnnx(bytes, path);
      const train = loadImageDataset(dataset, 'train');
      const test = loadImageDataset(dataset, 'test');
      checkModelFitsDataset(model, test, path);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      log(`loaded ${file} (${describeLayers(model)}; sha256 ${sha256.slice(0, 12)}…); no training`);
      return {
        model,
        train,
        test,
        // No host paths or times here: this record goes into the deterministic results.json.
        training: { source: 'onnx', file, bytes: bytes.length, sha256, layers: describeLayers(model), cacheKey: sha256, fromCache: false },
      };
    },
  };
}

/**
 * The workload `onnx:<file>` running the model in `path` on a user's own arrays (`--inputs`, `--labels`:
 * .npy, .npz or IDX, workloads/datasets/user-data.ts) of any sample shape the model takes. Inputs are
 * static samples in [0, 1] (rate coded for the SNN; the threshold balancing of the conversion
 * calibrates on the same inputs, the first `--calibration-samples` of them). Without labels there is
 * no accuracy; activity and energy are measured all the same.
 */
export function onnxUserWorkload(path: string, inputs: ArrayRef, labels: ArrayRef | undefined): Workload {
  const file = basename(path);
  const data = inputs.key === undefined ? basename(inputs.file) : `${basename(inputs.file)}:${inputs.key}`;
  return {
    id: onnxModelId(path),
    title: `ONNX model ${file} on ${data}`,
    dataset: `user:${data}`,
    task: 'classification',
    metric: 'accuracy', // measured when labels are given (configurations' accuracy is null otherwise)
    snnCoding: 'rate',
    prepare(log): PreparedWorkload {
      const bytes = readOnnxFile(path);
      const model = importOnnx(bytes, path);
      const last = model.layers[model.layers.length - 1];
      const outputs = shapeSize(layerGeometry(last).outputShape);
      const user = loadUserSamples(inputs, labels, { id: `user:${data}`, layout: 'static', classes: outputs, requireUnitRange: true });
      checkModelFitsDataset(model, user.set, path);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const inputHash = createHash('sha256').update(user.set.inputs).digest('hex');
      log(`loaded ${file} (${describeLayers(model)}; sha256 ${sha256.slice(0, 12)}…) and ${user.set.count} samples of ${data}${labels === undefined ? ' without labels' : ''}; no training`);
      return {
        model,
        train: user.set,
        test: user.set,
        // No host paths or times here: this record goes into the deterministic results.json.
        training: {
          source: 'onnx',
          file,
          bytes: bytes.length,
          sha256,
          layers: describeLayers(model),
          data: { inputs: data, samples: user.set.count, sampleShape: [...user.set.shape], labelled: user.description.labelled, scaling: user.description.scaling, sha256: inputHash },
          cacheKey: `${sha256}|${inputHash}`,
          fromCache: false,
        },
      };
    },
  };
}

/** One line naming each layer, e.g. "conv1 conv2d 1→8 3×3 relu, pool1 maxpool2d 2×2, fc dense 1568→10". */
export function describeLayers(model: Model): string {
  return model.layers
    .map((l) => {
      switch (l.kind) {
        case 'dense':
          return `${l.name} dense ${l.inFeatures}→${l.outFeatures}${l.activation === 'relu' ? ' relu' : ''}`;
        case 'conv2d':
          return `${l.name} conv2d ${l.inChannels}→${l.outChannels} ${l.kernel.join('×')}${(l.groups ?? 1) !== 1 ? ` groups ${l.groups}` : ''}${l.dilation && (l.dilation[0] !== 1 || l.dilation[1] !== 1) ? ` dilation ${l.dilation.join('×')}` : ''}${l.activation === 'relu' ? ' relu' : ''}`;
        default:
          return `${l.name} ${l.kind} ${l.kernel.join('×')}`;
      }
    })
    .join(', ');
}

/**
 * Checks that the model takes one of the dataset's samples as input (same number of values; an image
 * input must have the dataset's [C, H, W] up to leading 1s) and gives one score per class.
 */
export function checkModelFitsDataset(model: Model, set: SampleSet, origin: string): void {
  const modelSize = shapeSize(model.inputShape);
  const dataSize = shapeSize(set.shape);
  const dropOnes = (s: readonly number[]) => {
    const out = [...s];
    while (out.length > 1 && out[0] === 1) out.shift();
    return out;
  };
  const m = dropOnes(model.inputShape);
  const d = dropOnes(set.shape);
  const sameImage = m.length === 1 || (m.length === d.length && m.every((v, i) => v === d[i]));
  if (modelSize !== dataSize || !sameImage) {
    throw new InputError(
      `${origin}: the model input is [${model.inputShape.join(', ')}] (${modelSize} values) but ${set.id} samples are [${set.shape.join(', ')}] (${dataSize} values); export the model with input shape [N, ${set.shape.join(', ')}] or [N, ${dataSize}]`,
    );
  }
  const last = model.layers[model.layers.length - 1];
  const outputs = shapeSize(layerGeometry(last).outputShape);
  if (outputs !== set.classes) {
    throw new InputError(`${origin}: the model gives ${outputs} outputs but ${set.id} has ${set.classes} classes; the last layer must output one score per class`);
  }
}
