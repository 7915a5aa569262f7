// The workload-side keys of a sweep spec. Image workloads' keys are the options of `joulebench run`
// that a point may set; the brain workloads' keys are generated from their plugins' declarations
// (workloads/brain/plugins.ts), so a sweep accepts exactly what the plugins declare.
import { BRAIN_PLUGINS } from '../workloads/brain/plugins.js';
import { sweepKeyOf } from '../workloads/plugin.js';

/** Keys of image-classifier points (`workload: mnist-mlp` …). */
export const IMAGE_KEYS = ['workload', 'backend', 'timesteps', 'samples', 'calibration-samples', 'norm', 'seed', 'neuron', 'reset', 'beta', 'alpha', 'refractory', 'coding', 'execution', 'quant'] as const;

/** Keys of `workload: sequence` points. */
export const SEQUENCE_KEYS = ['family', 'task', 'context-length', 'd', 'heads', 'layers', 'steps'] as const;

/** Keys of the brain-* workloads: their plugins' declared sweep keys and the phase. */
export const BRAIN_KEYS: readonly string[] = [
  ...new Set(['phase', ...[...BRAIN_PLUGINS.values()].flatMap((pl) => Object.entries(pl.options).flatMap(([k, spec]) => sweepKeyOf(k, spec) ?? []))]),
];

/** Every workload-side key a sweep spec may use. */
export const WORKLOAD_KEYS: readonly string[] = [...new Set<string>([...IMAGE_KEYS, ...SEQUENCE_KEYS, ...BRAIN_KEYS])];

/** Keys that only sequence or brain points take (an image point giving one is told so). */
export const NON_IMAGE_KEYS: readonly string[] = [...SEQUENCE_KEYS, ...BRAIN_KEYS].filter((k) => !(IMAGE_KEYS as readonly string[]).includes(k));
