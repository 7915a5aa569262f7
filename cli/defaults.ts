// run's defaults (the default suite), apart from run itself so that the command line can declare its
// options without loading the study (cli/main.ts loads each command's implementation when it runs).
import { CONFIGURATION_DEFAULTS } from '../harness/run-options.js';
import type { BackendId } from '../harness/suite.js';
import { DEFAULT_KERNEL } from '../harness/suite.js';

export const DEFAULT_SUITE = {
  workload: 'mnist-mlp',
  backends: ['ann-dense', 'snn'] as BackendId[],
  timesteps: [4, 8, 16, 32],
  profiles: ['ops-only-45nm', 'lemaire-2022', 'ann-ideal-reuse-45nm', 'neuromorphic-core-45nm'],
  samples: CONFIGURATION_DEFAULTS.samples,
  norm: CONFIGURATION_DEFAULTS.norm,
  calibrationSamples: CONFIGURATION_DEFAULTS.calibrationSamples,
  seed: CONFIGURATION_DEFAULTS.seed,
  neuron: CONFIGURATION_DEFAULTS.neuron,
  reset: CONFIGURATION_DEFAULTS.reset,
  refractory: CONFIGURATION_DEFAULTS.refractory,
  executions: [CONFIGURATION_DEFAULTS.execution],
  quant: ['w8a8', 'w8aT'],
  kernel: DEFAULT_KERNEL,
};
