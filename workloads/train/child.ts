// Entry point of a training child process (see spawn.ts): reads one TrainingJob as JSON on stdin,
// runs it, writes progress lines to stdout and the trained model as a model-cache entry (hashed, so
// the parent knows it arrived whole) to file descriptor 3; on failure one line `error: …` to stderr
// with exit code 1. The child never writes the cache: the parent does, or runs on without one.
import { readFileSync, writeSync } from 'node:fs';
import { encodeModelEntry } from '../model-cache.js';
import type { TrainingJob } from './jobs.js';
import { runJob } from './jobs.js';

try {
  const job = JSON.parse(readFileSync(0, 'utf8')) as TrainingJob;
  const result = await runJob(job, (line) => process.stdout.write(`${line}\n`));
  const bytes = Buffer.from(encodeModelEntry(job.key, result.model, result.info));
  for (let at = 0; at < bytes.length; ) at += writeSync(3, bytes, at);
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
