// SIGKILL at the worst moment — right before the final rename — of `merge` and `check` (the run and
// sweep cases live in cli-safety.test.ts and sweeps.test.ts): nothing half-written is left under the
// name the user asked for, and the next command completes and removes the dead process's temporary.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pausedAt, runCli, tempDir } from './cli-helpers.js';
import { SEED_RUN_ARGS, TINY_SWEEP } from './fuzz/seeds.js';

const saved = process.env.JOULEBENCH_CACHE;
let cache = '';
beforeAll(() => {
  cache = tempDir('kill-cache');
  process.env.JOULEBENCH_CACHE = cache;
});
afterAll(() => {
  if (saved === undefined) delete process.env.JOULEBENCH_CACHE;
  else process.env.JOULEBENCH_CACHE = saved;
});

/** Runs the command in process (its cache: the one beforeAll set) and expects it to succeed. */
async function jb(argv: string[]): Promise<number> {
  const r = await runCli(argv);
  expect(r.code, r.stderr).toBe(0);
  return r.code;
}

const temporaries = (dir: string) => readdirSync(dir).filter((n) => /^\.joulebench-(tmp|old)-/.test(n));

describe('SIGKILL right before the final rename', () => {
  it('merge: no rows.csv and a temporary; the next merge completes the folder (rows equal the unsharded sweep) and removes the temporary', async () => {
    const cwd = tempDir('kill-merge');
    writeFileSync(join(cwd, 'sweep.yaml'), TINY_SWEEP);
    await jb(['sweep', join(cwd, 'sweep.yaml'), '--shard', '1/2', '-o', join(cwd, 's1'), '-q']);
    await jb(['sweep', join(cwd, 'sweep.yaml'), '--shard', '2/2', '-o', join(cwd, 's2'), '-q']);
    await jb(['sweep', join(cwd, 'sweep.yaml'), '-o', join(cwd, 'whole'), '-q']);
    // a merged folder is a sweep folder: chunks are copied in, then rows.csv is renamed into place last
    const { pid, tmp, exited } = await pausedAt(['merge', 's1', 's2', '-o', 'merged'], cwd, 'rows.csv', { JOULEBENCH_CACHE: cache });
    process.kill(pid, 'SIGKILL');
    await exited;
    expect(existsSync(join(cwd, 'merged', 'rows.csv'))).toBe(false);
    expect(existsSync(resolve(cwd, tmp))).toBe(true);
    expect(temporaries(join(cwd, 'merged'))).toHaveLength(1);
    // the rerun resumes the folder (same sweep, no --force needed) and completes it
    await jb(['merge', join(cwd, 's1'), join(cwd, 's2'), '-o', join(cwd, 'merged')]);
    expect(temporaries(join(cwd, 'merged'))).toEqual([]);
    expect(readFileSync(join(cwd, 'merged', 'rows.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'whole', 'rows.csv'), 'utf8'));
  });

  it('check --junit: no report file and a temporary; the next check writes it and removes the temporary', async () => {
    const cwd = tempDir('kill-check');
    await jb([...SEED_RUN_ARGS, '-o', join(cwd, 'run')]);
    writeFileSync(
      join(cwd, 'claims.yaml'),
      'version: 1\nresults: run/results.json\nclaims:\n  - id: dense-macs\n    quantity: { metric: Effective_MACs, config: ann-dense }\n    condition: { ">": 0 }\n',
    );
    const { pid, tmp, exited } = await pausedAt(['check', 'claims.yaml', '--junit', 'junit.xml', '-q'], cwd, 'junit.xml', { JOULEBENCH_CACHE: cache });
    process.kill(pid, 'SIGKILL');
    await exited;
    expect(existsSync(join(cwd, 'junit.xml'))).toBe(false);
    expect(existsSync(resolve(cwd, tmp))).toBe(true);
    await jb(['check', join(cwd, 'claims.yaml'), '--junit', join(cwd, 'junit.xml'), '-q']);
    expect(temporaries(cwd)).toEqual([]);
    expect(readFileSync(join(cwd, 'junit.xml'), 'utf8')).toMatch(/<testsuite[^>]* tests="1" failures="0"/);
  });
});
