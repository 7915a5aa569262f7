// Does a trained SSM's recall go through its short convolution? (Not a test; issue 18: the two SSMs
// are the only families past the recall ceiling of the others and the only ones with a causal
// depthwise convolution, width d_conv = 4, ahead of the scan.)
//
// Loads the shipped recall checkpoints of Mamba and Mamba-2 and scores the study's test recall
// (evaluateRecall: the same sequences, 40 per L) three ways, changing nothing but conv_w in every
// layer: as trained; with the tap on the token before kept and the two before that zeroed (the conv
// sees x_{t−1}, x_t); and with every tap on earlier tokens zeroed (the conv sees only x_t, so what
// earlier tokens leave must pass through the scan). conv_w is [d_conv, channels]; row d_conv − 1
// multiplies the current token (mamba.ts, convRing). Usage:
//   node dist/bench/seq-conv-ablation.js [family …=mamba mamba2]
import { evaluateRecall } from '../workloads/sequence/evaluate.js';
import { readCheckpoint, SHIPPED_CHECKPOINTS } from '../workloads/sequence/checkpoint.js';
import { DEFAULT_RECALL, recallVocab } from '../workloads/sequence/recall.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor } from '../workloads/sequence/study.js';

const families = process.argv.length > 2 ? process.argv.slice(2) : ['mamba', 'mamba2'];
const variants = [
  { name: 'as trained', keep: 3 },
  { name: 'conv sees x(t-1), x(t)', keep: 1 },
  { name: 'conv sees x(t) only', keep: 0 },
];
for (const family of families) {
  const cfg = lmConfigFor(getBlock(family), DEFAULT_STUDY, recallVocab(DEFAULT_RECALL));
  const ck = readCheckpoint(SHIPPED_CHECKPOINTS, cfg, 'recall');
  if (ck === null) {
    console.error(`no shipped recall checkpoint for ${family}`);
    process.exit(2);
  }
  const dc = cfg.blockConfig.options.dConv;
  if (dc !== 4) throw new Error(`${family}: expected d_conv = 4, found ${dc}`);
  for (const v of variants) {
    const w = { ...ck.weights };
    for (let l = 0; l < cfg.layers; l++) {
      const name = `l${l}.mixer.conv_w`;
      const conv = Float32Array.from(w[name]);
      const ch = conv.length / dc;
      for (let row = 0; row < dc - 1 - v.keep; row++) conv.fill(0, row * ch, (row + 1) * ch);
      w[name] = conv;
    }
    const acc = DEFAULT_STUDY.recallEvalLengths.map((L) => evaluateRecall(cfg, w, DEFAULT_RECALL, L, DEFAULT_STUDY.recallSequences, DEFAULT_STUDY.seed));
    console.log(`${family}, ${v.name}: test recall ${acc.map((a) => `L=${a.length} ${(100 * a.accuracy).toFixed(1)}%`).join(', ')}`);
  }
}
