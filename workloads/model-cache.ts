// Trained weights are cached per machine, keyed by a hash of everything that determines them
// (workload id, architecture, training configuration, dataset files, trainer version), so training
// happens once. Writes are atomic (temp file + rename).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateModelShapes } from '../harness/layers.js';
import type { Layer, Model } from '../harness/model.js';
import { cacheDir } from '../harness/paths.js';
import { writeFileAtomic } from '../harness/atomic-write.js';

/** A layer record with its Float32Array fields (weights, biases) as base64 of little-endian float32. */
type CachedLayer = Record<string, unknown>;
interface CachedModel {
  format: 2;
  key: string;
  id: string;
  inputShape: number[];
  layers: CachedLayer[];
  info: Record<string, unknown>;
}

export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export const f32ToB64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
export function b64ToF32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function modelCachePath(id: string, key: string): string {
  return join(cacheDir(), 'models', `${id}-${key}.json`);
}

function encodeLayer(layer: Layer): CachedLayer {
  const out: CachedLayer = {};
  for (const [k, v] of Object.entries(layer)) out[k] = v instanceof Float32Array ? { f32: f32ToB64(v) } : v;
  return out;
}

function decodeLayer(rec: CachedLayer): Layer {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    out[k] = v !== null && typeof v === 'object' && 'f32' in v && typeof (v as { f32: unknown }).f32 === 'string' ? b64ToF32((v as { f32: string }).f32) : v;
  }
  return out as unknown as Layer;
}

export function readCachedModel(id: string, key: string): { model: Model; info: Record<string, unknown> } | null {
  const path = modelCachePath(id, key);
  if (!existsSync(path)) return null;
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as CachedModel;
    if (doc.format !== 2 || doc.key !== key) return null;
    const model: Model = { id: doc.id, inputShape: doc.inputShape, layers: doc.layers.map(decodeLayer) };
    validateModelShapes(model.inputShape, model.layers);
    return { model, info: doc.info };
  } catch {
    return null; // a corrupt or stale cache entry is retrained, not trusted
  }
}

export function writeCachedModel(key: string, model: Model, info: Record<string, unknown>): void {
  const path = modelCachePath(model.id, key);
  mkdirSync(join(cacheDir(), 'models'), { recursive: true });
  const doc: CachedModel = { format: 2, key, id: model.id, inputShape: [...model.inputShape], layers: model.layers.map(encodeLayer), info };
  writeFileAtomic(path, JSON.stringify(doc));
}
