// Trains the default MNIST MLP once, before test files run in parallel, into a read-only folder that
// every test file copies into a cache of its own (test/setup-cache.ts, isolatedCache()): no test
// trains it again, and none writes the user's cache. When the user's cache (JOULEBENCH_CACHE, else
// ~/.cache/joulebench) already holds the entry, it is copied (read only) instead of trained.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { cacheDir } from '../core/paths.js';
import { modelCachePath } from '../workloads/model-cache.js';
import { getWorkload } from '../workloads/registry.js';
import { copyModels } from './pretrained.js';

const ID = 'mnist-mlp';

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'joulebench-pretrained-'));
  copyModels(cacheDir(), dir, (name) => name.startsWith(`${ID}-`)); // checked on read; a bad or stale one is retrained here
  const saved = process.env.JOULEBENCH_CACHE;
  process.env.JOULEBENCH_CACHE = dir;
  let entry: string;
  try {
    const prepared = getWorkload(ID).prepare((line) => process.stderr.write(`[global-setup] ${line}\n`));
    entry = modelCachePath(ID, prepared.training.cacheKey);
  } finally {
    if (saved === undefined) delete process.env.JOULEBENCH_CACHE;
    else process.env.JOULEBENCH_CACHE = saved;
  }
  const models = join(dir, 'models');
  for (const name of readdirSync(models)) if (join(models, name) !== entry) rmSync(join(models, name)); // only the entry in use
  for (const name of readdirSync(models)) chmodSync(join(models, name), 0o444);
  chmodSync(models, 0o555);
  project.provide('pretrainedCache', dir);
  return () => {
    chmodSync(models, 0o755);
    rmSync(dir, { recursive: true, force: true });
  };
}
