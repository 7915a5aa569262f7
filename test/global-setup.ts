// Trains (or finds in the machine cache) the MNIST MLP once, before test files run in parallel, so
// that CLI tests do not each train it.
import { getWorkload } from '../workloads/registry.js';

export default function setup(): void {
  getWorkload('mnist-mlp').prepare((line) => process.stderr.write(`[global-setup] ${line}\n`));
}
