// Entry point of a training child process (see spawn.ts): reads one TrainingJob as JSON on stdin,
// runs it, writes progress lines to stdout and the trained model as a model-cache entry (hashed, so
// the parent knows it arrived whole) to file descriptor 3; on failure one line `error: …` to stderr
// with exit code 1. The child never writes the cache: the parent does, or runs on without one.
import { readFileSync, writeSync } from 'node:fs';
import { encodeModelEntry } from '../model-cache.js';
import type { TrainingJob } from './jobs.js';
import { runJob } from './jobs.js';
import { progressLog } from '../../core/progress.js';

try {
  const job = JSON.parse(readFileSync(0, 'utf8')) as TrainingJob;
  const toStdout = (line: string) => void process.stdout.write(`${line}\n`);
  // progress drawn live on fd 4, the parent's stderr (its other lines reach the parent when this child ends)
  const write4 = (text: string) => {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; ) at += writeSync(4, bytes, at);
  };
  const log = job.progress === undefined ? toStdout : progressLog({ mode: job.progress, line: toStdout, progressLine: (t) => write4(`${t}\n`), raw: write4 });
  const result = await runJob(job, log);
  const bytes = Buffer.from(encodeModelEntry(job.key, result.model, result.info));
  for (let at = 0; at < bytes.length; ) at += writeSync(3, bytes, at);
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
