// Entry point of a training child process (see spawn.ts): reads one TrainingJob as JSON on stdin,
// runs it (the weights land in the machine cache), writes progress lines to stdout, and on failure
// one line `error: …` to stderr with exit code 1.
import { readFileSync } from 'node:fs';
import type { TrainingJob } from './jobs.js';
import { runJob } from './jobs.js';

try {
  const job = JSON.parse(readFileSync(0, 'utf8')) as TrainingJob;
  await runJob(job, (line) => process.stdout.write(`${line}\n`));
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
