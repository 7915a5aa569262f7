// The option checks `run` shares between its workloads (built-in, ONNX) and NIR graphs: the list of T,
// the ann-quant configurations and the kernel, each refused in one line naming the option.
import { rethrowInputError } from '../core/errors.js';
import { checkTimesteps } from '../harness/run-options.js';
import type { Kernel, QuantArg } from '../harness/suite.js';
import { DEFAULT_KERNEL, KERNELS, parseQuantArg } from '../harness/suite.js';
import { UsageError } from './errors.js';
import { ONNXRUNTIME_MISSING, onnxRuntimeInstalled } from '../harness/backends/ann-ort.js';

/** --timesteps: at least one T, each a supported count, none repeated. */
export function checkTimestepList(timesteps: readonly number[]): void {
  if (timesteps.length === 0) throw new UsageError('--timesteps: give at least one value, e.g. --timesteps 8 16 32');
  for (const T of timesteps) checkTimesteps('--timesteps', T);
  if (new Set(timesteps).size !== timesteps.length) throw new UsageError(`--timesteps: values repeat (${timesteps.join(' ')}); give each T once`);
}

/** --quant: the configurations (w8a8, w8aT …); at least one when ann-quant runs. */
export function parseQuantList(texts: readonly string[], annQuant: boolean): QuantArg[] {
  const quant = texts.map((text) => {
    try {
      return parseQuantArg(text);
    } catch (e) {
      rethrowInputError(e, '--quant: ');
    }
  });
  if (annQuant && quant.length === 0) throw new UsageError('--quant: ann-quant needs at least one configuration, e.g. --quant w8a8 w8aT');
  return quant;
}

/** --kernel: one of KERNELS (default DEFAULT_KERNEL); `onnxruntime` needs the optional onnxruntime-node installed. */
export function parseKernel(text: string | undefined): Kernel {
  const kernel = (text ?? DEFAULT_KERNEL) as Kernel;
  if (!KERNELS.includes(kernel)) throw new UsageError(`--kernel: "${text}" is not known; use ${KERNELS.join(' or ')}`);
  if (kernel === 'onnxruntime' && !onnxRuntimeInstalled()) throw new UsageError(`--kernel onnxruntime: ${ONNXRUNTIME_MISSING}`);
  return kernel;
}

/** `--threads`: worker threads for the SNN's samples and intra-op threads of the onnxruntime ANN, 1–64. */
export function checkThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) throw new UsageError(`--threads must be an integer from 1 to 64, got ${threads}`);
}
