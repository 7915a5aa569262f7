// The deterministic training behind the shipped checkpoints (checkpoint.ts), run by
// `npm run train:seq-checkpoints` (scripts/train-seq-checkpoints.ts): every family on both tasks, with
// the study's model and training recipe (workloads/sequence/study.ts, its defaults unless given).
//
//  - text: a fixed number of steps (the cosine schedule ends there);
//  - recall: trained until validation recall plateaus or a step cap (the cosine schedule runs to the
//    cap). Every `evalEvery` steps recall is measured on a fixed validation set — `validation`
//    sequences at each of the study's evaluation lengths, drawn from the stream (seed, 5, L), which
//    neither training (seed, 2) nor the study's test evaluation (seed, 3, L) draws from — by the
//    arg-max of the tfjs forward pass at each answer. Plateau rule: stop when the best validation
//    recall has not risen by ≥ minGain over the last `patience` evaluations.
//
// Progress: a line per interval (step, mean loss, validation recall, seconds per step). Resumable:
// after each interval the trainer's whole state (weights, Adam moments and bias-correction factors,
// step, curves) is written to DIR/.state/; a rerun continues from it bit for bit (the data stream's
// draws of the steps done are replayed), and skips the checkpoints already written for this plan.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { createRng } from '../../core/rng.js';
import { VOCAB_SIZE } from '../text/brown-corpus.js';
import type { CheckpointManifest } from './checkpoint.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, checkpointName, corpusOf, encodeWeights, modelRecord, readCheckpoint, sha256Of, weightsSha256, writeCheckpoint } from './checkpoint.js';
import type { LmConfig } from './lm.js';
import { lmParams } from './lm.js';
import type { RecallSpec } from './recall.js';
import { recallSequence, recallVocab } from './recall.js';
import { getBlock } from './registry.js';
import type { StudyOptions } from './study.js';
import { lmConfigFor, trainConfigFor } from './study.js';
import type { SeqTask, SeqTrainConfig, TrainerSnapshot } from './train.js';
import { SEQ_TRAINER_VERSION, SeqTrainer } from './train.js';

export interface CheckpointPlan {
  /** Text: training steps. */
  readonly textSteps: number;
  /** Recall: the most steps (the schedule's length). */
  readonly recallCap: number;
  /** Steps between loss-curve points, recall validations and saved states. */
  readonly evalEvery: number;
  /** Recall stops when the best validation recall has not risen by ≥ minGain over this many evaluations. */
  readonly patience: number;
  readonly minGain: number;
  /** Validation sequences per evaluation length. */
  readonly validation: number;
  /** Steps after which the weights' SHA-256 is recorded (the prefix a user can retrain and compare). */
  readonly prefixSteps: readonly number[];
}

export const DEFAULT_PLAN: CheckpointPlan = { textSteps: 3000, recallCap: 6000, evalEvery: 200, patience: 5, minGain: 0.01, validation: 64, prefixSteps: [1, 4] };

export const VALIDATION_STREAM = 'createRng(seed, 5, L)';

export function trainingFor(o: StudyOptions, task: SeqTask, plan: CheckpointPlan): { cfg: (family: string) => LmConfig; t: SeqTrainConfig } {
  const steps = task === 'text' ? plan.textSteps : plan.recallCap;
  return {
    cfg: (family) => lmConfigFor(getBlock(family), o, task === 'text' ? VOCAB_SIZE : recallVocab(o.recall)),
    t: trainConfigFor({ ...o, textSteps: steps, recallSteps: steps }, task),
  };
}

export function stopRule(task: SeqTask, plan: CheckpointPlan, lengths: readonly number[]): string {
  if (task === 'text') return `fixed: ${plan.textSteps} steps`;
  return `validation recall every ${plan.evalEvery} steps on ${plan.validation} sequences at each of L = ${lengths.join(', ')}; stop when the best has not risen by ≥ ${100 * plan.minGain} point(s) over the last ${plan.patience} evaluations, or at ${plan.recallCap} steps`;
}

const VALIDATION_TOKENS = 2048;

/** Validation recall: arg-max of the forward pass at every answer of a fixed set of sequences. */
export function validationRecall(trainer: SeqTrainer, spec: RecallSpec, lengths: readonly number[], sequences: number, seed: number): { accuracy: number; queries: number } {
  let right = 0;
  let asked = 0;
  const V = trainer.cfg.vocab;
  for (const L of lengths) {
    const rng = createRng(seed, 5, L);
    const seqs = Array.from({ length: sequences }, () => recallSequence(spec, L, rng));
    // forward passes of at most VALIDATION_TOKENS tokens (a few families hold [b, L, L, ·] tensors)
    const chunk = Math.max(1, Math.floor(VALIDATION_TOKENS / L));
    for (let from = 0; from < sequences; from += chunk) {
      const part = seqs.slice(from, from + chunk);
      const tokens = new Int32Array(part.length * L);
      part.forEach((s, i) => tokens.set(s.tokens.subarray(0, L), i * L));
      const logits = trainer.logits(tokens, part.length, L);
      part.forEach((s, i) => {
        for (let t = 0; t < L; t++) {
          if (!s.scored[t]) continue;
          const row = (i * L + t) * V;
          let best = 0;
          for (let v = 1; v < V; v++) if (logits[row + v] > logits[row + best]) best = v;
          asked++;
          if (best === s.tokens[t + 1]) right++;
        }
      });
    }
  }
  return { accuracy: right / asked, queries: asked };
}

/** Whether the plateau rule stops training after these validation accuracies. */
export function plateaued(accuracies: readonly number[], patience: number, minGain: number): boolean {
  if (accuracies.length <= patience) return false;
  const bestUpTo = (k: number) => Math.max(...accuracies.slice(0, k));
  return bestUpTo(accuracies.length) < bestUpTo(accuracies.length - patience) + minGain - 1e-12;
}

interface RunState {
  readonly identity: unknown;
  readonly lossCurve: CheckpointManifest['lossCurve'];
  readonly recallCurve: NonNullable<CheckpointManifest['recallCurve']>;
  readonly prefix: CheckpointManifest['prefix'];
}

const stateFiles = (dir: string, name: string) => ({ json: join(dir, '.state', `${name}.json`), bin: join(dir, '.state', `${name}.state.f32`) });

function saveState(dir: string, name: string, cfg: LmConfig, s: TrainerSnapshot, run: RunState): void {
  const f = stateFiles(dir, name);
  mkdirSync(join(dir, '.state'), { recursive: true });
  const toRecord = (list: readonly Float32Array[]) => Object.fromEntries(lmParams(cfg).map((p, i) => [p.name, list[i]]));
  const bytes = Buffer.concat([encodeWeights(cfg, s.weights), encodeWeights(cfg, toRecord(s.m)), encodeWeights(cfg, toRecord(s.v))]);
  writeFileAtomic(f.bin, bytes);
  writeFileAtomic(f.json, JSON.stringify({ ...run, step: s.step, accBeta1: s.accBeta1, accBeta2: s.accBeta2, sha256: sha256Of(bytes) }));
}

function loadState(dir: string, name: string, cfg: LmConfig, identity: unknown, log: (line: string) => void): { snapshot: TrainerSnapshot; run: RunState } | null {
  const f = stateFiles(dir, name);
  if (!existsSync(f.json) || !existsSync(f.bin)) return null;
  try {
    const doc = JSON.parse(readFileSync(f.json, 'utf8')) as RunState & { step: number; accBeta1: number; accBeta2: number; sha256: string };
    if (JSON.stringify(doc.identity) !== JSON.stringify(identity)) {
      log(`${name}: the saved state is of another plan or configuration; starting over`);
      return null;
    }
    const bytes = readFileSync(f.bin);
    if (sha256Of(bytes) !== doc.sha256) throw new Error('its SHA-256 does not match');
    const specs = lmParams(cfg);
    const per = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
    if (bytes.byteLength !== 12 * per) throw new Error(`it holds ${bytes.byteLength} bytes, expected ${12 * per}`);
    const all = new Float32Array(3 * per);
    new Uint8Array(all.buffer).set(bytes);
    const part = (k: number) => {
      let off = k * per;
      return specs.map((s) => {
        const n = s.shape.reduce((x, y) => x * y, 1);
        const a = all.slice(off, off + n);
        off += n;
        return a;
      });
    };
    const weights = Object.fromEntries(specs.map((s, i) => [s.name, part(0)[i]]));
    return { snapshot: { step: doc.step, weights, m: part(1), v: part(2), accBeta1: doc.accBeta1, accBeta2: doc.accBeta2 }, run: { identity, lossCurve: doc.lossCurve, recallCurve: doc.recallCurve, prefix: doc.prefix } };
  } catch (e) {
    log(`${name}: the saved state cannot be used (${(e as Error).message}); starting over`);
    return null;
  }
}

export interface TrainCheckpointResult {
  readonly manifest: CheckpointManifest;
  readonly skipped: boolean;
  /** Seconds per training step measured in this call (null when skipped). */
  readonly secondsPerStep: number | null;
}

/**
 * Trains family × task into `dir` (resuming a saved state; skipping when its checkpoint for this plan
 * is there) and writes the checkpoint. `command` is recorded as the manifest's trainedWith.
 */
export async function trainCheckpoint(o: StudyOptions, family: string, task: SeqTask, plan: CheckpointPlan, dir: string, command: string, log: (line: string) => void): Promise<TrainCheckpointResult> {
  const { cfg: cfgOf, t } = trainingFor(o, task, plan);
  const cfg = cfgOf(family);
  const name = checkpointName(family, task);
  const rule = stopRule(task, plan, o.recallEvalLengths);
  const identity = { v: SEQ_TRAINER_VERSION, model: modelRecord(cfg), training: t, plan, rule, lengths: o.recallEvalLengths };
  const existing = readCheckpoint(dir, cfg, task);
  if (existing && JSON.stringify(existing.manifest.training) === JSON.stringify(t) && existing.manifest.stop.rule === rule && existing.manifest.trainerVersion === SEQ_TRAINER_VERSION) {
    log(`${name}: done already (${existing.manifest.stepsTrained} steps); skipped`);
    return { manifest: existing.manifest, skipped: true, secondsPerStep: null };
  }
  const resumed = loadState(dir, name, cfg, identity, log);
  const run: { lossCurve: CheckpointManifest['lossCurve'][number][]; recallCurve: NonNullable<CheckpointManifest['recallCurve']>[number][]; prefix: CheckpointManifest['prefix'][number][] } = {
    lossCurve: [...(resumed?.run.lossCurve ?? [])],
    recallCurve: [...(resumed?.run.recallCurve ?? [])],
    prefix: [...(resumed?.run.prefix ?? [])],
  };
  const trainer = await SeqTrainer.open(cfg, t, resumed?.snapshot);
  if (resumed) log(`${name}: resumed at step ${trainer.step}`);
  const limit = t.steps;
  let reason: CheckpointManifest['stop']['reason'] = task === 'text' ? 'steps' : 'cap';
  const started = process.hrtime.bigint();
  const startStep = trainer.step;
  try {
    let sum = 0;
    let n = 0;
    while (trainer.step < limit) {
      sum += trainer.stepOnce();
      n++;
      const step = trainer.step;
      if (plan.prefixSteps.includes(step)) run.prefix.push({ step, sha256: weightsSha256(cfg, trainer.weights()) });
      if (step % plan.evalEvery !== 0 && step !== limit) continue;
      run.lossCurve.push({ step, loss: sum / n });
      sum = 0;
      n = 0;
      let line = `${name}: step ${step}/${limit} loss ${run.lossCurve[run.lossCurve.length - 1].loss.toFixed(4)}`;
      if (task === 'recall') {
        const t0 = process.hrtime.bigint();
        const v = validationRecall(trainer, o.recall, o.recallEvalLengths, plan.validation, o.seed);
        run.recallCurve.push({ step, accuracy: v.accuracy, queries: v.queries, sha256: weightsSha256(cfg, trainer.weights()) });
        line += ` validation recall ${(100 * v.accuracy).toFixed(1)}% (${v.queries} answers, ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s)`;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      log(`${line}; ${(seconds / (step - startStep)).toFixed(3)} s/step so far`);
      if (task === 'recall' && plateaued(run.recallCurve.map((r) => r.accuracy), plan.patience, plan.minGain)) {
        reason = 'plateau';
        break;
      }
      if (step < limit) saveState(dir, name, cfg, trainer.snapshot(), { identity, ...run });
    }
    const weights = trainer.weights();
    const bytes = encodeWeights(cfg, weights);
    const manifest: CheckpointManifest = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      family,
      task,
      trainerVersion: SEQ_TRAINER_VERSION,
      model: modelRecord(cfg),
      training: { ...t },
      corpus: corpusOf(task),
      stepsTrained: trainer.step,
      stop: { reason, rule },
      parameters: lmParams(cfg).map((s) => ({ name: s.name, shape: [...s.shape] })),
      weights: { file: `${name}.f32`, bytes: bytes.byteLength, sha256: sha256Of(bytes) },
      prefix: run.prefix,
      lossCurve: run.lossCurve,
      recallCurve: task === 'recall' ? run.recallCurve : null,
      validation: task === 'recall' ? { lengths: [...o.recallEvalLengths], sequencesPerLength: plan.validation, stream: VALIDATION_STREAM } : null,
      trainedWith: command,
    };
    mkdirSync(dir, { recursive: true });
    writeCheckpoint(dir, cfg, manifest, weights);
    const f = stateFiles(dir, name);
    rmSync(f.json, { force: true });
    rmSync(f.bin, { force: true });
    try {
      rmdirSync(join(dir, '.state')); // when no other run's state is left in it
    } catch {
      // other states are there (or it never existed)
    }
    const done = trainer.step - startStep;
    return { manifest, skipped: false, secondsPerStep: done > 0 ? Number(process.hrtime.bigint() - started) / 1e9 / done : null };
  } finally {
    trainer.dispose();
  }
}
