// A Python interpreter that has the modules a test needs (Debian's python3-numpy / python3-h5py live
// under /usr/bin/python3; a python3 first on PATH, e.g. pyenv's, may lack them), or null.
import { spawnSync } from 'node:child_process';

export function pythonWith(...modules: string[]): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return null;
}
