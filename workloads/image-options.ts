// The options of one image-classifier configuration, declared once (workloads/plugin.ts): `joulebench
// run`'s flags for them and the sweep keys of image points are generated from this declaration, with
// the same defaults (harness/run-options.ts CONFIGURATION_DEFAULTS) and the same checks. The neuron's
// parameters are checked together by harness/neurons.ts validateNeuron where they meet, the norm by
// harness/convert.ts parseNormMethod; the lists
// that make a run's configuration grid (backends, timesteps, executions, quantizations) are `run`'s own
// and a sweep's axes.
import { CONFIGURATION_DEFAULTS, checkPositiveInt, checkSeed } from '../harness/run-options.js';
import type { OptionDeclaration, OptionSpecs } from './plugin.js';
import { finite, fromCheck, option, text } from './plugin.js';

export const IMAGE_OPTIONS = {
  samples: option({ type: 'number', alias: 'n', schema: fromCheck(checkPositiveInt), default: CONFIGURATION_DEFAULTS.samples as number, help: 'test samples to evaluate (the first n of the test set; run --inputs without it: all of yours, at most the default)' }),
  norm: option({ type: 'string', schema: text, default: CONFIGURATION_DEFAULTS.norm as string, help: 'ANN→SNN threshold balancing: max or a percentile such as p99.9' }),
  calibrationSamples: option({ type: 'number', schema: fromCheck(checkPositiveInt), default: CONFIGURATION_DEFAULTS.calibrationSamples as number, help: 'training samples used to measure activations for threshold balancing' }),
  neuron: option({ type: 'string', schema: text, default: CONFIGURATION_DEFAULTS.neuron as string, help: 'SNN neuron model: if, lif (leaky) or cuba (current-based LIF)' }),
  reset: option({ type: 'string', schema: text, default: CONFIGURATION_DEFAULTS.reset as string, help: 'SNN reset after a spike: subtract (the threshold) or zero' }),
  beta: option<number | undefined>({ type: 'number', schema: finite, default: undefined, defaultText: '1 for if, 0.9 for lif and cuba', help: 'membrane decay per step' }),
  alpha: option<number | undefined>({ type: 'number', schema: finite, default: undefined, defaultText: '0.5, cuba only', help: 'synaptic current decay per step' }),
  refractory: option({ type: 'number', schema: finite, default: CONFIGURATION_DEFAULTS.refractory as number, help: 'steps a neuron ignores input after a spike' }),
  coding: option<string | undefined>({ type: 'string', schema: text, default: undefined, defaultText: "the workload's", help: 'SNN input coding: rate, latency or direct' }),
  seed: option({ type: 'number', schema: fromCheck(checkSeed), default: CONFIGURATION_DEFAULTS.seed as number, help: 'seed of the SNN input coding' }),
} satisfies OptionSpecs;

export const IMAGE_CONFIGURATION: OptionDeclaration<typeof IMAGE_OPTIONS> = {
  id: 'image',
  title: 'one backend configuration of an image classifier (built-in or ONNX)',
  options: IMAGE_OPTIONS,
};

/** The options that shape an exported network and its data (`joulebench export`): a run's, less the input coding and its seed. */
const { coding: _coding, seed: _seed, ...EXPORT_OPTIONS } = IMAGE_OPTIONS;
export const EXPORT_CONFIGURATION: OptionDeclaration<typeof EXPORT_OPTIONS> = {
  id: 'export',
  title: 'the network and data of a built-in image classifier, to export',
  options: EXPORT_OPTIONS,
};
