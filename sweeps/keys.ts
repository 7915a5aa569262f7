// The workload-side keys of a sweep spec. Image workloads' keys are the options of `joulebench run`
// that a point may set; the brain workloads' keys are generated from their plugins' declarations
// (workloads/brain/plugins.ts) and the sequence study's from its declaration
// (workloads/sequence/options.ts), so a sweep accepts exactly what they declare.
import { BRAIN_PLUGINS } from '../workloads/brain/plugins.js';
import { sweepKeys } from '../workloads/plugin.js';
import { SEQUENCE_OPTIONS } from '../workloads/sequence/options.js';
import { IMAGE_OPTIONS } from '../workloads/image-options.js';

/** `declared` with the keys earlier versions had first, in their order: rows.csv orders its columns by these keys. */
function inEarlierOrder(earlier: readonly string[], declared: ReadonlySet<string>): string[] {
  return [...new Set([...earlier.filter((k) => declared.has(k)), ...declared])];
}

/** Keys of image-classifier points (`workload: mnist-mlp` …): the workload, its configuration's grid keys and its declared options (workloads/image-options.ts). */
export const IMAGE_KEYS: readonly string[] = [
  'workload',
  'backend',
  'timesteps',
  ...inEarlierOrder(['samples', 'calibration-samples', 'norm', 'seed', 'neuron', 'reset', 'beta', 'alpha', 'refractory', 'coding'], new Set(sweepKeys(IMAGE_OPTIONS).keys())),
  'execution',
  'quant',
];

/** Keys of `workload: sequence` points: the study's declared sweep keys (workloads/sequence/options.ts) but the seed, and the point's context length and training steps. */
export const SEQUENCE_KEYS: readonly string[] = inEarlierOrder(
  ['family', 'task', 'context-length', 'd', 'heads', 'layers', 'steps'],
  new Set([...[...sweepKeys(SEQUENCE_OPTIONS).keys()].filter((k) => k !== 'seed'), 'context-length', 'steps']),
);

/** Keys of the brain-* workloads: their plugins' declared sweep keys and the phase. */
export const BRAIN_KEYS: readonly string[] = inEarlierOrder(
  ['phase', 'dataset', 'train', 'patterns', 'neurons', 'grid'],
  new Set(['phase', ...[...BRAIN_PLUGINS.values()].flatMap((pl) => [...sweepKeys(pl.options).keys()])]),
);

/** Keys of `workload: imported` points: the activity file (workloads/imported/, `joulebench price`). */
export const IMPORTED_KEYS: readonly string[] = ['activity'];

/** Every workload-side key a sweep spec may use. */
export const WORKLOAD_KEYS: readonly string[] = [...new Set<string>([...IMAGE_KEYS, ...SEQUENCE_KEYS, ...BRAIN_KEYS, ...IMPORTED_KEYS])];

/** Keys that only sequence, brain or imported points take (an image point giving one is told so). */
export const NON_IMAGE_KEYS: readonly string[] = [...new Set([...SEQUENCE_KEYS, ...BRAIN_KEYS, ...IMPORTED_KEYS])].filter((k) => !(IMAGE_KEYS).includes(k));
