// Trained weights are cached per machine, keyed by a hash of everything that determines them
// (workload id, architecture, training configuration, dataset files, trainer version), so training
// happens once. Entries go through core/verified-cache.ts: written atomically with a content hash;
// on read the hash, the key, the model id, the shapes (against the architecture when the caller
// gives it) and every weight (finite) are checked, and a bad entry is retrained.
import { createHash } from 'node:crypto';
import { validateModelShapes } from '../harness/layers.js';
import type { Layer, Model } from '../harness/model.js';
import type { CacheKind, CacheLog } from '../core/verified-cache.js';
import { CacheEntryProblem, checkNumbers, decodeEntry, decodeF32, encodeEntry, encodeF32, entryPath, objectOf, readEntry, writeEntry } from '../core/verified-cache.js';

export interface CachedModel {
  readonly model: Model;
  /** The training record stored with the weights. */
  readonly info: Record<string, unknown>;
}

/** Entries of format 2 (before content hashes) had the model's fields at the top level. */
const MODELS: CacheKind = { folder: 'models', format: 3, isLegacy: (doc) => doc.format === 2 && typeof doc.key === 'string' };

export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export function modelCachePath(id: string, key: string): string {
  return entryPath(MODELS, `${id}-${key}`);
}

/** A layer record with its Float32Array fields (weights, biases) as {f32: base64 of little-endian float32}. */
function encodeLayer(layer: Layer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(layer)) out[k] = v instanceof Float32Array ? { f32: encodeF32(v) } : v;
  return out;
}

function decodeLayer(value: unknown, i: number): Layer {
  const rec = objectOf(`layers[${i}]`, value);
  const name = typeof rec.name === 'string' ? rec.name : `#${i + 1}`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'f32' in v) out[k] = decodeF32(`layer ${name}: ${k}`, (v as { f32: unknown }).f32);
    else {
      checkNumbers(`layer ${name}: ${k}`, v, true); // sizes, strides and padding
      out[k] = v;
    }
  }
  return out as unknown as Layer;
}

/** A layer's fields with arrays of weights replaced by their lengths, keys in order: what the architecture fixes. */
function layerShape(layer: Layer): Record<string, unknown> {
  const rec = layer as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(rec)
      .sort()
      .map((k) => [k, rec[k] instanceof Float32Array ? `${(rec[k] as Float32Array).length} float32 values` : rec[k]]),
  );
}

function checkArchitecture(model: Model, arch: Model): void {
  if (JSON.stringify(model.inputShape) !== JSON.stringify(arch.inputShape)) throw new CacheEntryProblem(`input shape [${model.inputShape.join(', ')}] is not the architecture's [${arch.inputShape.join(', ')}]`);
  if (model.layers.length !== arch.layers.length) throw new CacheEntryProblem(`it has ${model.layers.length} layers, the architecture ${arch.layers.length}`);
  model.layers.forEach((layer, i) => {
    const got = layerShape(layer);
    const want = layerShape(arch.layers[i]);
    for (const k of new Set([...Object.keys(got), ...Object.keys(want)])) {
      if (JSON.stringify(got[k]) !== JSON.stringify(want[k])) {
        throw new CacheEntryProblem(`layer ${i + 1} (${String(want.name)}): ${k} is ${JSON.stringify(got[k]) ?? 'missing'}, the architecture has ${JSON.stringify(want[k]) ?? 'none'}`);
      }
    }
  });
}

function decodeModel(payload: unknown, id: string, architecture: Model | undefined): CachedModel {
  const p = objectOf('the payload', payload);
  if (p.id !== id) throw new CacheEntryProblem(`it holds model ${JSON.stringify(p.id)}, not ${JSON.stringify(id)}`);
  if (!Array.isArray(p.inputShape) || !p.inputShape.every((d) => Number.isInteger(d) && d > 0)) throw new CacheEntryProblem('inputShape is not a list of positive integers');
  if (!Array.isArray(p.layers) || p.layers.length === 0) throw new CacheEntryProblem('layers is not a non-empty list');
  const model: Model = { id, inputShape: p.inputShape as number[], layers: p.layers.map(decodeLayer) };
  try {
    validateModelShapes(model.inputShape, model.layers);
  } catch (e) {
    throw new CacheEntryProblem((e as Error).message);
  }
  if (architecture) checkArchitecture(model, architecture);
  const info = objectOf('info', p.info);
  checkNumbers('info', info, true); // losses, accuracies, seeds
  for (const [k, v] of Object.entries(info)) if (/accuracy$/i.test(k) && typeof v === 'number' && v > 1) throw new CacheEntryProblem(`info.${k} is ${v} (an accuracy is at most 1)`);
  return { model, info };
}

const payloadOf = (model: Model, info: Record<string, unknown>) => ({ id: model.id, inputShape: [...model.inputShape], layers: model.layers.map(encodeLayer), info });

/**
 * The cached model, or null when missing or untrustworthy (said through `log`; the caller retrains).
 * `architecture`: a model of the expected layers (any weights), whose shapes the entry must have.
 */
export function readCachedModel(id: string, key: string, log: CacheLog, architecture?: Model): CachedModel | null {
  return readEntry(MODELS, `${id}-${key}`, key, (p) => decodeModel(p, id, architecture), log);
}

/** Caches the model when the cache can be written (a failure is said once and the run goes on); returns whether it was written. */
export function writeCachedModel(key: string, model: Model, info: Record<string, unknown>, log: CacheLog): boolean {
  return writeEntry(MODELS, `${model.id}-${key}`, key, payloadOf(model, info), log);
}

/** The entry's bytes, for handing a trained model from a training child process to its parent. */
export function encodeModelEntry(key: string, model: Model, info: Record<string, unknown>): string {
  return encodeEntry(MODELS, key, payloadOf(model, info));
}

/** Inverse of `encodeModelEntry`, with every check of a cache read (throws CacheEntryProblem). */
export function decodeModelEntry(text: string, id: string, key: string): CachedModel {
  return decodeEntry(MODELS, text, key, (p) => decodeModel(p, id, undefined));
}
