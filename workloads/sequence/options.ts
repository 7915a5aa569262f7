// The inter-token study's options, declared once (workloads/plugin.ts): `joulebench seq`'s flags, the
// study's defaults (DEFAULT_STUDY) and the `workload: sequence` sweep keys are generated from it.
import type { OptionSpecs } from '../plugin.js';
import { fraction, intAtLeast, listOf, numberFrom, numberIn, oneOf, option, text, wordsOf } from '../plugin.js';
import type { OptionDeclaration } from '../plugin.js';
import { SEQUENCE_BLOCKS } from './registry.js';

const FAMILIES = [...SEQUENCE_BLOCKS.keys()];

export const SEQUENCE_OPTIONS = {
  families: option({ type: 'strings', flag: 'family', alias: 'f', schema: wordsOf(FAMILIES, 'known sequence families'), default: FAMILIES, sweep: 'family', help: 'block families' }),
  task: option({ type: 'string', schema: oneOf(['text', 'recall', 'both'] as const), default: 'both' as 'text' | 'recall' | 'both', choices: ['text', 'recall', 'both'], help: 'text (bits per character), recall (associative recall) or both' }),
  energyLengths: option({ type: 'numbers', flag: 'lengths', alias: 'L', schema: listOf(intAtLeast(1)), default: [64, 256, 1024, 4096], sweep: false, help: 'context lengths L at which a decode step is priced' }),
  d: option({ type: 'number', schema: intAtLeast(1), default: 64, help: 'model width' }),
  heads: option({ type: 'number', schema: intAtLeast(1), default: 4, help: 'attention heads' }),
  layers: option({ type: 'number', schema: intAtLeast(1), default: 2, help: 'layers' }),
  mlpWidth: option({ type: 'number', schema: intAtLeast(1), default: 128, sweep: false, help: 'token-MLP width' }),
  textSteps: option({ type: 'number', schema: intAtLeast(1), default: 300, sweep: false, help: 'training steps on text' }),
  recallSteps: option({ type: 'number', schema: intAtLeast(1), default: 400, sweep: false, help: 'training steps on recall' }),
  batch: option({ type: 'number', schema: intAtLeast(1), default: 16, sweep: false, help: 'training batch' }),
  context: option({ type: 'number', schema: intAtLeast(2), default: 64, sweep: false, help: 'training and evaluation window in characters' }),
  learningRate: option({ type: 'number', schema: numberIn(0, 1, 'in (0, 1)'), default: 3e-3, sweep: false, help: 'Adam learning rate' }),
  recallTrainLengths: option({ type: 'numbers', schema: listOf(intAtLeast(1)), default: [24, 32, 48, 64], sweep: false, help: 'recall training lengths' }),
  recallEvalLengths: option({ type: 'numbers', flag: 'recall-lengths', schema: listOf(intAtLeast(1)), default: [32, 64, 128, 256], sweep: false, help: 'recall evaluation lengths' }),
  recallSequences: option({ type: 'number', schema: intAtLeast(1), default: 40, sweep: false, help: 'recall sequences per evaluation length' }),
  evalWindows: option({ type: 'number', schema: intAtLeast(1), default: 40, sweep: false, help: 'held-out windows scored for bits per character' }),
  checkpoints: option({
    type: 'string',
    schema: text,
    default: 'shipped',
    sweep: false,
    help: "trained checkpoints priced instead of training, where their model and training recipe are this run's: 'shipped' (installed with joulebench), a folder of your own (npm run train:seq-checkpoints -- --out DIR) or 'none' (train every model)",
  }),
  bpcMargin: option({ type: 'number', schema: numberFrom(0, 8, 'a number of bits per character in [0, 8)'), default: 0.05, sweep: false, help: 'quality floor: bits/char must be this much below the zero-mixer ablation\'s' }),
  recallMargin: option({ type: 'number', schema: fraction, default: 0.05, sweep: false, help: 'quality floor: recall must be this much above the zero-mixer ablation\'s at each L' }),
  seed: option({ type: 'number', schema: intAtLeast(0), default: 1, help: 'seed of initial weights, batches and recall sequences' }),
} satisfies OptionSpecs;

export const SEQUENCE_STUDY: OptionDeclaration<typeof SEQUENCE_OPTIONS> = {
  id: 'sequence',
  title: 'Inter-token study: one small LM per block family on Brown corpus characters and associative recall',
  options: SEQUENCE_OPTIONS,
  check: (o) => (o.d % o.heads !== 0 ? { option: 'heads', problem: `(${o.heads}) must divide the width d (${o.d})` } : null),
};
