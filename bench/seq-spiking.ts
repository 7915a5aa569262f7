// Diagnosis of a sequence family's training (not a test; issue 18): trains the study's LM with one block
// family on one task as workloads/sequence/train.ts does (same initial weights, batches, Adam, warm-up
// and cosine schedule, clipping to global norm 1 — the norm summed here in float64, so the weights can
// differ from train.ts's in the last bits), and reports
//  - every fifth of the run: the mean training loss, the global gradient norm, and the gradient norm of
//    each mixer parameter beside the first MLP layer's (how much signal reaches the block through the
//    surrogate spikes);
//  - before and after training: held-out bits per character (or recall accuracy at L = 32 and 64) with
//    the counted decoder, and each mixer's mean activity per token: spike counts divided by d·T (the
//    fraction of neuron-steps that fire) and the blocks' other counts;
//  - after text training: the spike rates by position in the window (0–3, 4–15, 16–31, 32–63), which
//    show whether an attention's firing depends on the position rather than on the content.
// Nothing is cached. Usage:
//   node dist/bench/seq-spiking.js FAMILY text|recall STEPS [d=64] [context=64] [batch=16] [layers=2] ['{"leak":1}']
// (the last argument overrides block options). One thread; a 150-step text run of a spiking family at
// the defaults takes 2–4 min on one core.
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { createRng } from '../core/rng.js';
import type { StepActivity } from '../workloads/sequence/block.js';
import { evaluateRecall, evaluateText } from '../workloads/sequence/evaluate.js';
import type { LmConfig, LmPart } from '../workloads/sequence/lm.js';
import { lmDecoder, lmLossTf, lmParams } from '../workloads/sequence/lm.js';
import { initParams } from '../workloads/sequence/params.js';
import { DEFAULT_RECALL, recallSequence, recallVocab } from '../workloads/sequence/recall.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor, trainConfigFor } from '../workloads/sequence/study.js';
import { loadTf } from '../workloads/train/tf.js';
import { VOCAB_SIZE, brownTokens } from '../workloads/text/brown-corpus.js';

const [family, task, stepsArg, dArg = '64', ctxArg = '64', batchArg = '16', layersArg = '2', extra = '{}'] = process.argv.slice(2);
if (!family || (task !== 'text' && task !== 'recall') || !stepsArg) {
  console.error('usage: node dist/bench/seq-spiking.js FAMILY text|recall STEPS [d] [context] [batch] [layers] [options-json]');
  process.exit(2);
}
const o = { ...DEFAULT_STUDY, d: Number(dArg), context: Number(ctxArg), batch: Number(batchArg), layers: Number(layersArg), mlpWidth: 2 * Number(dArg), textSteps: Number(stepsArg), recallSteps: Number(stepsArg) };
const base = lmConfigFor(getBlock(family), o, task === 'text' ? VOCAB_SIZE : recallVocab(DEFAULT_RECALL));
const cfg: LmConfig = { ...base, blockConfig: { ...base.blockConfig, options: { ...base.blockConfig.options, ...(JSON.parse(extra) as Record<string, number>) } } };
cfg.block.validate(cfg.blockConfig);
const t = trainConfigFor(o, task);
const dT = cfg.blockConfig.d * (cfg.blockConfig.options.timesteps ?? 1);
const test = brownTokens('test');
const windows = 10;

const tf = await loadTf('wasm');
const specs = lmParams(cfg);
const init = initParams(specs, createRng(t.seed, 1));
const vars = new Map<string, Variable>(specs.map((s) => [s.name, tf.variable(tf.tensor(init[s.name], [...s.shape]), true, `diag_${s.name.replace(/[^A-Za-z0-9_]/g, '_')}`)]));
const w: Record<string, Tensor> = Object.fromEntries(vars);
const nameOf = new Map([...vars].map(([k, v]) => [v.name, k]));

const rates = (a: StepActivity) =>
  Object.entries(a)
    .map(([k, v]) => `${k}=${k.endsWith('Spikes') ? (v / dT).toFixed(3) : v.toFixed(1)}`)
    .join(' ');
const activityLine = (act: ReadonlyMap<LmPart, StepActivity>) => [...act].map(([p, a]) => `${p} ${rates(a)}`).join(' | ');

function evaluate(tag: string): void {
  const weights: Record<string, Float32Array> = {};
  for (const [k, v] of vars) weights[k] = Float32Array.from(v.dataSync() as Float32Array);
  if (task === 'text') {
    const ev = evaluateText(cfg, weights, test, o.context, windows);
    console.log(`${tag}: ${ev.bitsPerChar.toFixed(3)} bits/char on ${ev.characters} held-out characters; per token (spikes / d·T): ${activityLine(ev.counts.activity)}`);
    if (tag !== 'after') return;
    const buckets = [[0, 4], [4, 16], [16, 32], [32, o.context]].filter(([a]) => a < o.context);
    const sums = buckets.map(() => new Map<string, number>());
    for (let win = 0; win < windows; win++) {
      const dec = lmDecoder(cfg, weights);
      for (let p = 0; p < o.context; p++) {
        const s = dec.step(test[win * o.context + p]);
        const b = buckets.findIndex(([lo, hi]) => p >= lo && p < hi);
        for (const [part, a] of s.activity) for (const [k, v] of Object.entries(a)) if (k.endsWith('Spikes')) sums[b].set(`${part} ${k}`, (sums[b].get(`${part} ${k}`) ?? 0) + v / dT / ((buckets[b][1] - buckets[b][0]) * windows));
      }
    }
    for (const key of sums[0].keys()) console.log(`  by position, ${key}: ${buckets.map(([lo, hi], i) => `${lo}–${hi - 1} ${sums[i].get(key)!.toFixed(3)}`).join(', ')}`);
  } else {
    const r = [32, 64].map((L) => evaluateRecall(cfg, weights, DEFAULT_RECALL, L, 20, t.seed));
    console.log(`${tag}: recall ${r.map((x) => `L=${x.length} ${(100 * x.accuracy).toFixed(1)}%`).join(', ')}; per token at L=32 (spikes / d·T): ${activityLine(r[0].counts.activity)}`);
  }
}

evaluate('before');
const rng = createRng(t.seed, 2);
const corpus = task === 'text' ? brownTokens('train') : null;
const optimizer = tf.train.adam(t.learningRate);
let lossSum = 0;
let n = 0;
const report = Math.max(1, Math.floor(t.steps / 5));
const started = Date.now();
for (let step = 0; step < t.steps; step++) {
  const lr = t.learningRate * Math.min(1, (step + 1) / Math.max(1, t.warmup)) * (step < t.warmup ? 1 : 0.5 * (1 + Math.cos((Math.PI * (step - t.warmup)) / Math.max(1, t.steps - t.warmup))));
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
  const L = task === 'text' ? o.context : t.recallLengths[rng.int(t.recallLengths.length)];
  const B = t.batch;
  const inputs = new Int32Array(B * L);
  const targets = new Int32Array(B * L);
  const mask = new Float32Array(B * L);
  for (let i = 0; i < B; i++) {
    if (corpus) {
      const start = rng.int(corpus.length - L - 1);
      for (let p = 0; p < L; p++) [inputs[i * L + p], targets[i * L + p]] = [corpus[start + p], corpus[start + p + 1]];
    } else {
      const s = recallSequence(t.recall, L, rng);
      for (let p = 0; p < L; p++) [inputs[i * L + p], targets[i * L + p], mask[i * L + p]] = [s.tokens[p], s.tokens[p + 1], s.scored[p]];
    }
  }
  let loss = 0;
  let total = 0;
  let norms = new Map<string, number>();
  tf.tidy(() => {
    const x = tf.tensor2d(inputs, [B, L], 'int32');
    const y = tf.tensor2d(targets, [B, L], 'int32');
    const m = corpus ? undefined : (tf.tensor2d(mask, [B, L]) as Tensor2D);
    const { value, grads } = tf.variableGrads(() => lmLossTf(tf, cfg, w, x, y, m), [...vars.values()]);
    norms = new Map(Object.entries(grads).map(([k, g]) => [nameOf.get(k) ?? k, Math.sqrt((tf.sum(tf.square(g)).dataSync() as Float32Array)[0])]));
    total = Math.sqrt([...norms.values()].reduce((a, b) => a + b * b, 0));
    const scale = total > t.clipNorm ? t.clipNorm / total : 1;
    optimizer.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, scale === 1 ? g : tf.mul(g, scale)])) as never);
    loss = (value.dataSync() as Float32Array)[0];
  });
  lossSum += loss;
  n++;
  if ((step + 1) % report === 0) {
    const mixer = [...norms].filter(([k]) => k.includes('.mixer.')).map(([k, v]) => `${k.replace('.mixer.', '.')} ${v.toExponential(1)}`);
    console.log(`step ${step + 1}: loss ${(lossSum / n).toFixed(3)} nats (${(lossSum / n / Math.LN2).toFixed(3)} bits), |∇| ${total.toFixed(2)}, l0.mlp.w1 ${norms.get('l0.mlp.w1')!.toExponential(1)}; mixer ${mixer.join(', ') || 'none'} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    lossSum = 0;
    n = 0;
  }
}
evaluate('after');
