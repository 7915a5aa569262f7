// Sequence-decoding benchmark (not a test): generated tokens per second of each block family's counted
// per-token decoder inside the LM (lm.ts), against a reference measured in the same run — the same
// model's tfjs parallel forward (WebAssembly, one thread) over the same sequence, per token — and the
// cost of the closed-form step ledger (`stepCounts`) that prices any L without decoding. Prints
// ratios, so the figures compare across machines. Usage: node dist/bench/sequence.js [tokens] [--only family,…]
import type { Tensor } from '@tensorflow/tfjs-core';
import { createRng } from '../core/rng.js';
import { lmDecoder, lmForwardTf, lmParams } from '../workloads/sequence/lm.js';
import { initParams } from '../workloads/sequence/params.js';
import { SEQUENCE_BLOCKS } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor } from '../workloads/sequence/study.js';
import { loadTf } from '../workloads/train/tf.js';
import { VOCAB_SIZE, brownTokens } from '../workloads/text/brown-corpus.js';

const args = process.argv.slice(2);
const tokens = Number(args.find((a) => /^\d+$/.test(a)) ?? 512);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;

const tf = await loadTf('wasm');
const text = brownTokens('test').subarray(0, tokens);
const rows: string[][] = [];
for (const [id, block] of SEQUENCE_BLOCKS) {
  if (only && !only.includes(id)) continue;
  const cfg = lmConfigFor(block, DEFAULT_STUDY, VOCAB_SIZE);
  const w = initParams(lmParams(cfg), createRng(1));
  // reference: the tfjs parallel form over the whole sequence (best of 3, after a warm-up)
  const tw: Record<string, Tensor> = {};
  for (const s of lmParams(cfg)) tw[s.name] = tf.tensor(w[s.name], [...s.shape]);
  const input = tf.tensor2d(Array.from(text), [1, tokens], 'int32');
  const forward = () => tf.tidy(() => lmForwardTf(tf, cfg, tw, input)).dataSync();
  forward();
  let tfMs = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    forward();
    tfMs = Math.min(tfMs, performance.now() - t0);
  }
  tf.dispose([input, ...Object.values(tw)]);
  // the counted decoder, token by token
  const t0 = performance.now();
  const dec = lmDecoder(cfg, w);
  let last = null as ReturnType<typeof dec.step> | null;
  for (let t = 0; t < tokens; t++) last = dec.step(text[t]);
  const decMs = performance.now() - t0;
  // the closed form at L = tokens − 1, from the last step's activity
  const act = last!.activity.get('l0.mixer')!;
  const n = 2000;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) block.stepCounts(cfg.blockConfig, tokens - 1, act);
  const formulaUs = ((performance.now() - t1) * 1000) / n;
  rows.push([id, (tfMs / tokens).toFixed(3), (decMs / tokens).toFixed(3), (tokens / (decMs / 1000)).toFixed(0), (decMs / tfMs).toFixed(1), formulaUs.toFixed(1)]);
}
const head = ['family', 'tfjs parallel ms/token (ref)', 'counted decoder ms/token', 'decoder tokens/s', 'decoder ÷ tfjs', 'stepCounts µs'];
console.log(`${tokens} tokens of Brown test text, d = ${DEFAULT_STUDY.d}, ${DEFAULT_STUDY.layers} layers, ${DEFAULT_STUDY.heads} heads (untrained weights; timing only)`);
console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
