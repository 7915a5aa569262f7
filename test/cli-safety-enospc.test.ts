// Issue 17, full disk without a tmpfs: node:fs is mocked so that writing one file of a run folder
// fails with ENOSPC after a partial write (the injected fallback of cli-safety.test.ts's tmpfs test,
// which needs root to mount; this one runs everywhere).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, tempDir } from './cli-helpers.js';

const inject = vi.hoisted(() => ({ failName: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeFileSync = ((file: Parameters<typeof fs.writeFileSync>[0], data: Parameters<typeof fs.writeFileSync>[1], options?: Parameters<typeof fs.writeFileSync>[2]) => {
    if (inject.failName !== '' && typeof file === 'string' && file.endsWith(`/${inject.failName}`) && file.includes('.joulebench-tmp-')) {
      fs.writeFileSync(file, String(data).slice(0, 100), options); // what fitted
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    fs.writeFileSync(file, data, options);
  }) as typeof fs.writeFileSync;
  return { ...fs, writeFileSync, default: { ...fs, writeFileSync } };
});

afterEach(() => {
  inject.failName = '';
});

describe('a full disk, injected (ENOSPC from a mocked node:fs)', () => {
  it('full disk, injected ENOSPC while writing report.html (runs where no tmpfs can be mounted): one line naming the file and ENOSPC, exit 2, no partial folder, no temporary', async () => {
    const dir = tempDir('enospc');
    inject.failName = 'report.html';
    const r = await runCli(['run', '-n', '20', '-T', '4', '--calibration-samples', '50', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q', '-o', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`joulebench: error: ${join(dir, 'out', 'report.html')}: write: ENOSPC; no space left on the device; free space or choose another location`]);
    expect(r.out).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
