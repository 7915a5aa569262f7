// Trained weights are cached per machine, keyed by a hash of everything that determines them
// (workload id, architecture, training configuration, dataset files, trainer version), so training
// happens once. Writes are atomic (temp file + rename).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DenseLayer, Model } from '../harness/model.js';
import { cacheDir } from '../harness/paths.js';

interface CachedLayer {
  name: string;
  inFeatures: number;
  outFeatures: number;
  activation: DenseLayer['activation'];
  weight: string; // base64 of little-endian float32
  bias: string;
}
interface CachedModel {
  format: 1;
  key: string;
  id: string;
  inputShape: number[];
  layers: CachedLayer[];
  info: Record<string, unknown>;
}

export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

const f32ToB64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function b64ToF32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function modelCachePath(id: string, key: string): string {
  return join(cacheDir(), 'models', `${id}-${key}.json`);
}

export function readCachedModel(id: string, key: string): { model: Model; info: Record<string, unknown> } | null {
  const path = modelCachePath(id, key);
  if (!existsSync(path)) return null;
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as CachedModel;
    if (doc.format !== 1 || doc.key !== key) return null;
    const layers: DenseLayer[] = doc.layers.map((l) => ({
      kind: 'dense',
      name: l.name,
      inFeatures: l.inFeatures,
      outFeatures: l.outFeatures,
      activation: l.activation,
      weight: b64ToF32(l.weight),
      bias: b64ToF32(l.bias),
    }));
    return { model: { id: doc.id, inputShape: doc.inputShape, layers }, info: doc.info };
  } catch {
    return null; // a corrupt cache entry is retrained, not trusted
  }
}

export function writeCachedModel(key: string, model: Model, info: Record<string, unknown>): void {
  const path = modelCachePath(model.id, key);
  mkdirSync(join(cacheDir(), 'models'), { recursive: true });
  const doc: CachedModel = {
    format: 1,
    key,
    id: model.id,
    inputShape: [...model.inputShape],
    layers: model.layers.map((l) => ({
      name: l.name,
      inFeatures: l.inFeatures,
      outFeatures: l.outFeatures,
      activation: l.activation,
      weight: f32ToB64(l.weight),
      bias: f32ToB64(l.bias),
    })),
    info,
  };
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(doc));
  renameSync(tmp, path);
}
