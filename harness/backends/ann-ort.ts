// The dense ANN on onnxruntime-node (the fast kernel). The model is exported to ONNX with its
// counters computed inside the graph, vectorised: per sample, the nonzero elements of every layer's
// input and of the output, and for conv/pool layers the synaptic operations of the nonzero inputs
// (a mask times the per-input fan-out). The ledger is built from those counts with the same rules
// as the reference TypeScript engine, so both give the same ledger — and no count costs an
// increment per MAC, nor even a scan in JavaScript.
import { createRequire } from 'node:module';
import type { InferenceSession } from 'onnxruntime-node';
import type { Backend, BackendRun, RunHooks } from '../backend.js';
import type { SampleSet } from '../data.js';
import { sampleSize } from '../data.js';
import { planModel } from '../exec.js';
import { argmax } from '../kernels/dense.js';
import { buildLedger, newActivityRecorder } from '../../core/ledger.js';
import { validateModelShapes } from '../layers.js';
import type { Model } from '../model.js';
import { exportOnnx } from '../onnx/export.js';
import { InputError } from '../../core/errors.js';
import { activationOf } from '../model.js';
import { annLayerRules, recordNeuroBench } from './ann.js';

type OnnxRuntime = typeof import('onnxruntime-node');

/**
 * Whether onnxruntime-node can be loaded. It is an optional peer dependency of the package (its
 * install script downloads CUDA libraries on Linux x64 unless told to skip), so an installed
 * joulebench may lack it: `--kernel fast` then runs the dense ANN on the TypeScript kernel.
 */
export function onnxRuntimeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

/** What to do when onnxruntime-node is missing (one line, for an InputError). */
export const ONNXRUNTIME_MISSING = 'the onnxruntime kernel needs the optional package onnxruntime-node, which is not installed; install it with `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` (skip: no CUDA download), or use --kernel js';

let runtime: Promise<OnnxRuntime> | undefined;
/** onnxruntime-node, loaded on first use (its native library takes a while to load). */
function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node').catch((e: unknown) => {
    runtime = undefined;
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw new InputError(ONNXRUNTIME_MISSING);
    throw e;
  });
  return runtime;
}

export interface OrtOptions {
  /** Intra-op threads of onnxruntime (default 1: reproducible timings and identical results across machines' core counts). */
  readonly threads?: number;
  /** Samples per onnxruntime call. */
  readonly batch?: number;
}

export function createAnnOrt(model: Model, opts: OrtOptions = {}): Backend {
  validateModelShapes(model.inputShape, model.layers);
  const plans = planModel(model.layers);
  const threads = opts.threads ?? 1;
  const batch = opts.batch ?? 1000;
  // Float32 sums of integers are exact below 2^24; larger layers would need another counter path.
  for (const p of plans) {
    if (p.denseOps >= 2 ** 24) throw new InputError(`layer ${p.layer.name}: ${p.denseOps} operations per sample exceed what the onnxruntime counters sum exactly (2^24); use the js kernel`);
  }
  const fanOut = plans.map((p) => (p.layer.kind === 'dense' ? null : Float32Array.from({ length: p.inSize }, (_, i) => p.fanOutOf(i))));
  const effectiveFanOut = plans.map((p) => (p.denseConnectionOps > 0 ? Float32Array.from(p.effectiveFanOut) : null));
  const bytes = exportOnnx(model, { counters: { fanOut, effectiveFanOut } });
  const descriptor = { id: 'ann-dense', family: 'ann' as const, timesteps: 1, params: { precision: 'fp32', skipZeros: false, kernel: 'onnxruntime' } };
  const widths = { numeric: 'fp', weight: 32, act: 32 } as const;
  const last = plans.length - 1;
  let session: Promise<InferenceSession> | null = null;
  const run = async (samples: SampleSet, hooks: RunHooks = {}): Promise<BackendRun> => {
    const { InferenceSession, Tensor } = await loadOnnxRuntime();
    // the intra-op pool's threads do not spin-wait between runs: they would take the cores from the SNN
    // configurations that run next in the same process
    session ??= InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', ...(threads > 1 ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}) });
    const s = await session;
    const recs = plans.map(() => newActivityRecorder(samples.count, 1, { neurobench: true }));
    const predictions = new Uint8Array(samples.count);
    const inSize = sampleSize(samples);
    for (let start = 0; start < samples.count; start += batch) {
      const n = Math.min(batch, samples.count - start);
      const input = samples.inputs.subarray(start * inSize, (start + n) * inSize);
      const out = await s.run({ input: new Tensor('float32', input, [n, ...model.inputShape]) });
      const logits = out[s.outputNames[0]].data as Float32Array;
      const counts = plans.map((_, k) => out[`count_${k}`].data as Float32Array);
      counts.push(out[`count_${plans.length}`].data as Float32Array);
      for (let l = 0; l < plans.length; l++) {
        const plan = plans[l];
        const syn = fanOut[l] ? (out[`synops_${l}`].data as Float32Array) : null;
        const eff = effectiveFanOut[l] ? (out[`effops_${l}`].data as Float32Array) : null;
        const analog = effectiveFanOut[l] ? (out[`analog_${l}`].data as Float32Array) : null;
        const relu = activationOf(plan.layer) === 'relu';
        const rec = recs[l];
        for (let b = 0; b < n; b++) {
          const s0 = start + b;
          const nonzero = counts[l][b];
          const nonzeroOut = counts[l + 1][b];
          rec.inputEvents[s0] = nonzero;
          rec.outputEvents[s0] = nonzeroOut;
          rec.synOps[s0] = syn ? syn[b] : nonzero * plan.outSize;
          rec.inputPerStep[0] += nonzero;
          rec.outputPerStep[0] += nonzeroOut;
          recordNeuroBench(rec, s0, plan, eff ? eff[b] : 0, analog ? analog[b] === 0 : true, relu);
          if (l === last) predictions[s0] = argmax(logits.subarray(b * plan.outSize, (b + 1) * plan.outSize));
        }
      }
      hooks.onProgress?.(start + n, samples.count);
    }
    const counted = plans.map((p, i) => ({ name: p.layer.name, geometry: p.geometry, rec: recs[i], rules: annLayerRules(p, widths, false, i === last) }));
    return { predictions, ledger: buildLedger(descriptor, samples.count, counted) };
  };
  return {
    descriptor,
    run() {
      throw new Error('the onnxruntime kernel runs asynchronously; use runAsync');
    },
    runAsync: run,
  };
}
