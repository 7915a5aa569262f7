// --quiet drops progress lines but never a warning: a cache that cannot be written, or a corrupt
// sweep chunk recomputed, is still said in one line (core/log.ts).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietLog, warnOf } from '../core/log.js';
import { runCli, tempDir } from './cli-helpers.js';
import { TINY_SWEEP } from './fuzz/seeds.js';

describe('--quiet keeps warnings', () => {
  it('a quiet log drops progress and passes warnings; a plain log takes both', () => {
    const seen: string[] = [];
    const quiet = quietLog((l) => seen.push(`warn:${l}`));
    quiet('progress');
    warnOf(quiet)('cache is corrupt');
    const plain = (l: string) => seen.push(`plain:${l}`);
    plain('progress');
    warnOf(plain)('cache is corrupt');
    expect(seen).toEqual(['warn:cache is corrupt', 'plain:progress', 'plain:cache is corrupt']);
  });

  it('sweep -q with a cache that cannot be written says so in one line and prints no progress', async () => {
    const cwd = tempDir('quiet-warn');
    writeFileSync(join(cwd, 'sweep.yaml'), TINY_SWEEP);
    writeFileSync(join(cwd, 'not-a-folder'), 'x'); // the cache path is a file: nothing can be written under it
    const r = await runCli(['sweep', 'sweep.yaml', '-o', 'out', '-q'], cwd, { JOULEBENCH_CACHE: join(cwd, 'not-a-folder') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toEqual([`cache ${join(cwd, 'not-a-folder')} is not writable (EEXIST); continuing without caching`]);
    expect(readdirSync(join(cwd, 'out'))).toContain('rows.csv');
  });

  it('sweep -q that recomputes a corrupt chunk says which one', async () => {
    const cwd = tempDir('quiet-chunk');
    writeFileSync(join(cwd, 'sweep.yaml'), TINY_SWEEP);
    expect((await runCli(['sweep', 'sweep.yaml', '-o', 'out', '-q'], cwd)).code).toBe(0);
    const chunk = join(cwd, 'out', 'chunks', readdirSync(join(cwd, 'out', 'chunks')).filter((f) => f.endsWith('.csv')).sort()[0]);
    writeFileSync(chunk, 'not a chunk\n');
    const r = await runCli(['sweep', 'sweep.yaml', '-o', 'out', '-q'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/chunks\/000000\.csv: .*; recomputing it$/);
  });
});
