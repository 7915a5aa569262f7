// Trains the checkpoints `joulebench seq` prices (workloads/sequence/checkpoint-training.ts): every
// family on text and on recall, deterministically, into checkpoints/sequence/ (or --out DIR).
// Resumable: rerun the same command after an interruption. Single-threaded (tfjs wasm, one thread).
//
//   npm run train:seq-checkpoints                                  # everything, the default plan
//   npm run train:seq-checkpoints -- --families softmax,mamba --tasks recall --out /tmp/ck
//   node dist/scripts/train-seq-checkpoints.js --text-steps 8 --recall-cap 8 --eval-every 4 --out /tmp/ck
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.js';
import type { CheckpointPlan } from '../workloads/sequence/checkpoint-training.js';
import { DEFAULT_PLAN, trainCheckpoint } from '../workloads/sequence/checkpoint-training.js';
import { SHIPPED_CHECKPOINTS } from '../workloads/sequence/checkpoint.js';
import { SEQUENCE_BLOCKS } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY } from '../workloads/sequence/study.js';
import type { SeqTask } from '../workloads/sequence/train.js';

const USAGE = `usage: train-seq-checkpoints [--out DIR] [--families a,b] [--tasks text,recall] [--text-steps N] [--recall-cap N] [--eval-every N] [--patience N] [--min-gain F] [--validation N]`;

function positiveInt(flag: string, text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new InputError(`--${flag} must be an integer ≥ 1, got ${JSON.stringify(text)}`);
  return v;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      families: { type: 'string' },
      tasks: { type: 'string' },
      'text-steps': { type: 'string' },
      'recall-cap': { type: 'string' },
      'eval-every': { type: 'string' },
      patience: { type: 'string' },
      'min-gain': { type: 'string' },
      validation: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const known = [...SEQUENCE_BLOCKS.keys()];
  const families = values.families === undefined ? known : values.families.split(',').filter((f) => f !== '');
  for (const f of families) if (!known.includes(f)) throw new InputError(`--families: unknown family "${f}"; known: ${known.join(', ')}`);
  const tasks = (values.tasks === undefined ? ['text', 'recall'] : values.tasks.split(',')) as SeqTask[];
  for (const t of tasks) if (t !== 'text' && t !== 'recall') throw new InputError(`--tasks must list text and/or recall, got "${t}"`);
  const minGain = values['min-gain'] === undefined ? DEFAULT_PLAN.minGain : Number(values['min-gain']);
  if (!(minGain > 0 && minGain < 1)) throw new InputError(`--min-gain must be a fraction in (0, 1), got ${JSON.stringify(values['min-gain'])}`);
  const plan: CheckpointPlan = {
    ...DEFAULT_PLAN,
    textSteps: positiveInt('text-steps', values['text-steps'], DEFAULT_PLAN.textSteps),
    recallCap: positiveInt('recall-cap', values['recall-cap'], DEFAULT_PLAN.recallCap),
    evalEvery: positiveInt('eval-every', values['eval-every'], DEFAULT_PLAN.evalEvery),
    patience: positiveInt('patience', values.patience, DEFAULT_PLAN.patience),
    minGain,
    validation: positiveInt('validation', values.validation, DEFAULT_PLAN.validation),
  };
  const dir = values.out === undefined ? SHIPPED_CHECKPOINTS : resolve(values.out);
  const command = `train-seq-checkpoints ${process.argv.slice(2).filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out' && !a.startsWith('--out=')).join(' ')}`.trim();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`training ${families.length} families × ${tasks.join(' and ')} into ${dir} (plan: ${JSON.stringify(plan)})`);
  const summary: string[] = [];
  for (const family of families) {
    const base = SEQUENCE_BLOCKS.get(family)!.trainsAs;
    if (base !== undefined) {
      // its training is the other family's: `joulebench seq` prices that family's checkpoint
      log(`${family}: trained as ${base}, no checkpoint of its own (joulebench seq uses ${base}'s)`);
      summary.push(`${family}: uses ${base}'s checkpoints`);
      continue;
    }
    for (const task of tasks) {
      const r = await trainCheckpoint(DEFAULT_STUDY, family, task, plan, dir, command, log);
      const last = r.manifest.recallCurve?.at(-1);
      summary.push(`${family}-${task}: ${r.manifest.stepsTrained} steps (${r.manifest.stop.reason})${last ? `, validation recall ${(100 * last.accuracy).toFixed(1)}%` : ''}${r.secondsPerStep !== null ? `, ${r.secondsPerStep.toFixed(3)} s/step` : ', skipped'} sha256 ${r.manifest.weights.sha256.slice(0, 12)}`);
    }
  }
  process.stdout.write(`${summary.join('\n')}\n`);
}

main().catch((e: unknown) => {
  if (e instanceof InputError || String((e as NodeJS.ErrnoException)?.code).startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`train-seq-checkpoints: ${(e as Error).message} (--help lists the options)\n`);
    process.exit(2);
  }
  throw e;
});
