// The pretrained default model that tests share: test/global-setup.ts trains it (or copies the user's
// entry) once into a read-only folder; each test file and each CLI test works on a writable copy of
// it in a cache folder of its own, so no test writes the user's cache or another file's.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The read-only cache folder holding the pretrained default model (test/global-setup.ts). */
    pretrainedCache: string;
  }
}

/** Copies the model entries of cache folder `from` into cache folder `to`, writable (0644). */
export function copyModels(from: string, to: string, only: (name: string) => boolean = () => true): void {
  const src = join(from, 'models');
  if (!existsSync(src)) return;
  mkdirSync(join(to, 'models'), { recursive: true });
  for (const name of readdirSync(src).filter(only)) {
    const dest = join(to, 'models', name);
    copyFileSync(join(src, name), dest);
    chmodSync(dest, 0o644);
  }
}
